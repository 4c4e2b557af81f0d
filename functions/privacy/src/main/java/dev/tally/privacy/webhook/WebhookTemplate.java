package dev.tally.privacy.webhook;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.tally.privacy.PrivacyConfig.InvalidConfigException;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A configured URL, body or header value with {@code {{placeholder}}}s (docs/privacy-webhooks.md, "Templates").
 * The rule: {@code *_json} placeholders stand for a JSON value, the others for text; what is inserted is escaped for
 * where the template is used — percent-encoded in a URL (JSON values too), JSON-string-escaped in a body (so plain
 * placeholders go inside quotes there, JSON values outside), as-is in a header. Filling in is one pass: a value that
 * itself contains "{{…}}" is inserted as text, never expanded.
 */
public final class WebhookTemplate {

    /** The values a template may name. */
    public enum Placeholder {
        REQUEST_ID, REQUEST_IDS_JSON, REQUEST_TYPE, SUBJECT_TYPE, SUBJECT_IDS_JSON, SUBJECT_ID, JOB_ID;

        final String token = name().toLowerCase(java.util.Locale.ROOT);

        boolean json() {
            return token.endsWith("_json");
        }

        static Optional<Placeholder> named(String token) {
            return Arrays.stream(values()).filter(p -> p.token.equals(token)).findFirst();
        }
    }

    /** Where the filled-in text goes, which decides the escaping. */
    public enum Context { URL, BODY, HEADER }

    private final Context context;
    /** Literal {@code String}s and {@link Placeholder}s, in order. */
    private final List<Object> parts;

    private WebhookTemplate(Context context, List<Object> parts) {
        this.context = context;
        this.parts = List.copyOf(parts);
    }

    /**
     * Parses {@code text}; every "{{" must open a placeholder of {@code allowed}, else the config is refused
     * naming {@code field}.
     */
    public static WebhookTemplate parse(String text, Context context, Set<Placeholder> allowed, String field) {
        List<Object> parts = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf("{{", at);
            if (open < 0) {
                parts.add(text.substring(at));
                break;
            }
            if (open > at) {
                parts.add(text.substring(at, open));
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new InvalidConfigException("privacy config: " + field + " has a '{{' without '}}'");
            }
            String token = text.substring(open + 2, close);
            Placeholder placeholder = Placeholder.named(token).filter(allowed::contains).orElseThrow(() ->
                    new InvalidConfigException("privacy config: " + field + " has an unknown placeholder {{"
                            + token + "}} (it may use " + tokens(allowed) + ")"));
            parts.add(placeholder);
            at = close + 2;
        }
        return new WebhookTemplate(context, parts);
    }

    /** The placeholders the template uses. */
    public Set<Placeholder> placeholders() {
        Set<Placeholder> used = EnumSet.noneOf(Placeholder.class);
        parts.stream().filter(Placeholder.class::isInstance).map(Placeholder.class::cast).forEach(used::add);
        return used;
    }

    /**
     * Fills the template in. {@code values} holds text for plain placeholders and JSON text for {@code *_json} ones.
     *
     * @throws IllegalArgumentException when a used placeholder has no value, or a header value would hold a line break
     */
    public String render(Map<Placeholder, String> values) {
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof String literal) {
                out.append(literal);
                continue;
            }
            Placeholder placeholder = (Placeholder) part;
            String value = values.get(placeholder);
            if (value == null) {
                throw new IllegalArgumentException("no value for {{" + placeholder.token + "}}");
            }
            out.append(escape(placeholder, value));
        }
        return out.toString();
    }

    private String escape(Placeholder placeholder, String value) {
        return switch (context) {
            case URL -> URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                    .replace("%7E", "~");
            case BODY -> placeholder.json() ? value : new String(JsonStringEncoder.getInstance().quoteAsString(value));
            case HEADER -> {
                if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                    throw new IllegalArgumentException("a value for a header holds a control character");
                }
                yield value;
            }
        };
    }

    static String tokens(Set<Placeholder> placeholders) {
        return placeholders.stream().map(p -> "{{" + p.token + "}}").sorted().toList().toString();
    }
}
