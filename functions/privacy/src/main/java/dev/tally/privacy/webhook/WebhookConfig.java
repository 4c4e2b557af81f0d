package dev.tally.privacy.webhook;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.privacy.PrivacyConfig.InvalidConfigException;
import dev.tally.privacy.Target;
import dev.tally.privacy.TargetKind;
import dev.tally.privacy.webhook.WebhookTemplate.Context;
import dev.tally.privacy.webhook.WebhookTemplate.Placeholder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * A {@code WEBHOOK} target's entry of the config document, checked strictly (docs/privacy-webhooks.md): an unknown
 * field, a missing {@code url}, an unknown {@code mode}, {@code ASYNC_JOB} without its fields (or its fields without
 * {@code ASYNC_JOB}), a template with an unknown placeholder or one that cannot give a URL or a JSON body each fail
 * with {@link InvalidConfigException} naming {@code targets[<name>].<field>}.
 */
public record WebhookConfig(String name, WebhookTemplate url, String method, Mode mode, Optional<WebhookTemplate> body,
                            Map<String, WebhookTemplate> headers, Optional<SecretHeader> secretHeader,
                            int maxIdsPerCall, Duration timeout, OptionalDouble rateLimitPerSecond,
                            Optional<AsyncJob> asyncJob) {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookConfig.class);
    public static final int DEFAULT_MAX_IDS_PER_CALL = 100;
    public static final int MAX_IDS_PER_CALL = 5000;
    public static final double DEFAULT_TIMEOUT_SECONDS = 10;
    public static final long DEFAULT_POLL_INTERVAL_SECONDS = 60;

    /** How the destination says it is done. */
    public enum Mode {
        /** A 2xx answer: deleted. */
        SYNC,
        /** A 2xx answer names a job; its status URL is polled until a done or failed value. */
        ASYNC_JOB,
        /** A 2xx answer: accepted, and there is no way to ask further. */
        ACCEPTED
    }

    /** A header whose value is a secret (an API key, {@code Bearer …}) read through the {@code SecretSource}. */
    public record SecretHeader(String name, String secretId) {
    }

    /** How an {@code ASYNC_JOB} destination's jobs are followed. */
    public record AsyncJob(JsonPath jobIdPath, WebhookTemplate statusUrl, JsonPath statusPath, Set<String> doneValues,
                           Set<String> failedValues, Duration pollInterval) {
        public AsyncJob {
            doneValues = Set.copyOf(doneValues);
            failedValues = Set.copyOf(failedValues);
        }
    }

    public WebhookConfig {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    static final Set<Placeholder> CALL = EnumSet.of(Placeholder.REQUEST_ID, Placeholder.REQUEST_IDS_JSON,
            Placeholder.REQUEST_TYPE, Placeholder.SUBJECT_TYPE, Placeholder.SUBJECT_IDS_JSON, Placeholder.SUBJECT_ID);
    static final Set<Placeholder> CALL_HEADER = EnumSet.of(Placeholder.REQUEST_ID, Placeholder.REQUEST_IDS_JSON,
            Placeholder.REQUEST_TYPE, Placeholder.SUBJECT_TYPE);
    static final Set<Placeholder> STATUS = EnumSet.of(Placeholder.JOB_ID, Placeholder.REQUEST_ID,
            Placeholder.REQUEST_IDS_JSON, Placeholder.REQUEST_TYPE, Placeholder.SUBJECT_TYPE);

    private static final Set<String> FIELDS = Set.of("name", "kind", "url", "method", "mode", "body", "headers",
            "secret_header", "request_types", "max_ids_per_call", "timeout_seconds", "rate_limit_per_second",
            "job_id_path", "status_url", "status_path", "done_values", "failed_values", "poll_interval_seconds");
    private static final List<String> ASYNC_FIELDS = List.of("job_id_path", "status_url", "status_path",
            "done_values", "failed_values", "poll_interval_seconds");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    /** Headers the JDK client sets itself and refuses to take. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Reads and checks the target's entry ({@link Target#settings()}). */
    public static WebhookConfig from(Target target) {
        if (target.kind() != TargetKind.WEBHOOK) {
            throw new IllegalArgumentException("target " + target.name() + " is a " + target.kind() + ", not a WEBHOOK");
        }
        ConfigFields in = new ConfigFields(target.settings(), "targets[" + target.name() + "]");
        in.onlyKnown(FIELDS);
        Mode mode = in.enumValue("mode", Mode.class, Mode.SYNC);
        String method = in.optionalText("method").map(m -> m.toUpperCase(Locale.ROOT)).orElse("POST");
        if (!METHODS.contains(method)) {
            throw in.invalid("method", "must be one of " + new java.util.TreeSet<>(METHODS));
        }
        WebhookTemplate url = url(in, "url", in.requiredText("url"), CALL);
        Optional<WebhookTemplate> body = in.optionalText("body").map(text -> body(in, text, method));
        Set<Placeholder> used = EnumSet.copyOf(url.placeholders());
        body.ifPresent(b -> used.addAll(b.placeholders()));
        if (!used.contains(Placeholder.SUBJECT_IDS_JSON) && !used.contains(Placeholder.SUBJECT_ID)) {
            throw in.invalid(body.isPresent() ? "body" : "url", "names no subjects: put {{subject_ids_json}} (or, "
                    + "with max_ids_per_call 1, {{subject_id}}) in the url or the body");
        }
        int maxIds = (int) in.positiveNumber("max_ids_per_call", used.contains(Placeholder.SUBJECT_ID) ? 1
                : DEFAULT_MAX_IDS_PER_CALL, true);
        if (maxIds > MAX_IDS_PER_CALL || (used.contains(Placeholder.SUBJECT_ID) && maxIds != 1)) {
            throw in.invalid("max_ids_per_call", used.contains(Placeholder.SUBJECT_ID)
                    ? "must be 1 when a template uses {{subject_id}}" : "must be at most " + MAX_IDS_PER_CALL);
        }
        Optional<SecretHeader> secretHeader = secretHeader(in);
        Map<String, WebhookTemplate> headers = headers(in, secretHeader);
        Duration timeout = Duration.ofMillis(Math.round(1000 * in.positiveNumber("timeout_seconds",
                DEFAULT_TIMEOUT_SECONDS, false)));
        OptionalDouble rate = in.has("rate_limit_per_second")
                ? OptionalDouble.of(in.positiveNumber("rate_limit_per_second", 0, false)) : OptionalDouble.empty();
        return new WebhookConfig(target.name(), url, method, mode, body, headers, secretHeader, maxIds, timeout, rate,
                asyncJob(in, mode));
    }

    private static WebhookTemplate url(ConfigFields in, String field, String text, Set<Placeholder> allowed) {
        WebhookTemplate template = WebhookTemplate.parse(text, Context.URL, allowed, in.name(field));
        URI uri;
        try {
            uri = new URI(template.render(samples()));
        } catch (java.net.URISyntaxException e) {
            throw in.invalid(field, "is not a URL once filled in: " + e.getReason());
        }
        if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))
                || uri.getHost() == null) {
            throw in.invalid(field, "must be an absolute http or https URL with a host");
        }
        return template;
    }

    private static WebhookTemplate body(ConfigFields in, String text, String method) {
        if (method.equals("GET")) {
            throw in.invalid("body", "is not sent with GET: use another method, or leave the body out");
        }
        WebhookTemplate template = WebhookTemplate.parse(text, Context.BODY, CALL, in.name("body"));
        try {
            JSON.readTree(template.render(samples()));
        } catch (java.io.IOException e) {
            throw in.invalid("body", "is not JSON once filled in (plain placeholders go inside quotes, *_json ones "
                    + "outside)");
        }
        return template;
    }

    private static Optional<SecretHeader> secretHeader(ConfigFields in) {
        if (!in.has("secret_header")) {
            return Optional.empty();
        }
        ConfigFields secret = in.object("secret_header");
        secret.onlyKnown(Set.of("name", "secret_id"));
        String name = secret.requiredText("name");
        checkHeaderName(secret, "name", name);
        return Optional.of(new SecretHeader(name, secret.requiredText("secret_id")));
    }

    private static Map<String, WebhookTemplate> headers(ConfigFields in, Optional<SecretHeader> secret) {
        Map<String, WebhookTemplate> headers = new LinkedHashMap<>();
        if (!in.has("headers")) {
            return headers;
        }
        ConfigFields given = in.object("headers");
        Set<String> seen = new java.util.HashSet<>();
        secret.ifPresent(s -> seen.add(s.name().toLowerCase(Locale.ROOT)));
        for (String name : given.names()) {
            checkHeaderName(given, name, name);
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                throw given.invalid(name, "is given twice (or is also the secret header)");
            }
            // status calls send the same headers: only what both kinds of call know, and no subject ids
            headers.put(name, WebhookTemplate.parse(given.requiredText(name), Context.HEADER, CALL_HEADER,
                    given.name(name)));
        }
        return headers;
    }

    private static void checkHeaderName(ConfigFields in, String field, String name) {
        if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw in.invalid(field, "is not a valid header name");
        }
        if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
            throw in.invalid(field, "is a header the HTTP client sets itself");
        }
    }

    private static Optional<AsyncJob> asyncJob(ConfigFields in, Mode mode) {
        if (mode != Mode.ASYNC_JOB) {
            // The contract's own sample document has them on a SYNC entry: accepted, ignored, and said so.
            List<String> ignored = ASYNC_FIELDS.stream().filter(in::has).toList();
            if (!ignored.isEmpty()) {
                LOG.warn("webhook target {}: {} apply only to mode ASYNC_JOB and are ignored (mode is {})",
                        in.prefix(), ignored, mode);
            }
            return Optional.empty();
        }
        JsonPath jobIdPath = in.path("job_id_path");
        WebhookTemplate statusUrl = url(in, "status_url", in.requiredText("status_url"), STATUS);
        JsonPath statusPath = in.path("status_path");
        Set<String> done = in.texts("done_values", true);
        Set<String> failed = in.has("failed_values") ? in.texts("failed_values", false) : Set.of();
        if (failed.stream().anyMatch(done::contains)) {
            throw in.invalid("failed_values", "shares a value with done_values");
        }
        Duration interval = Duration.ofSeconds((long) in.positiveNumber("poll_interval_seconds",
                DEFAULT_POLL_INTERVAL_SECONDS, true));
        return Optional.of(new AsyncJob(jobIdPath, statusUrl, statusPath, done, failed, interval));
    }

    /** Values that stand in for the real ones when a template is checked: awkward on purpose. */
    static Map<Placeholder, String> samples() {
        Map<Placeholder, String> values = new EnumMap<>(Placeholder.class);
        values.put(Placeholder.REQUEST_ID, "r \"1\"/?&");
        values.put(Placeholder.REQUEST_IDS_JSON, "[\"r \\\"1\\\"\"]");
        values.put(Placeholder.REQUEST_TYPE, "DELETE");
        values.put(Placeholder.SUBJECT_TYPE, "USER_ID");
        values.put(Placeholder.SUBJECT_IDS_JSON, "[\"u \\\"1\\\"\",\"é\"]");
        values.put(Placeholder.SUBJECT_ID, "u \"1\"/?#");
        values.put(Placeholder.JOB_ID, "j 1/?#");
        return values;
    }
}
