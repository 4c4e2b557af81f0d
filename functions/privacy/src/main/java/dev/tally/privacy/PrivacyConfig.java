package dev.tally.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The privacy config document (privacy.md, "Local mode"): the targets, archive batching, retries, due days per
 * regulation, and — locally only — secrets. The same document configures the functions in AWS and
 * {@code tally serve}. A mistake fails with {@link InvalidConfigException} naming the field; an unknown
 * top-level field is a mistake (a misspelt {@code due_days} would otherwise silently keep the defaults).
 *
 * @param dueDays per regulation, days from receipt to the legal deadline (GDPR 30, CCPA 45 unless configured)
 * @param secrets local secrets by id; empty in AWS, where ids resolve in Secrets Manager
 */
public record PrivacyConfig(List<Target> targets, ArchiveBatch archiveBatch, Retry retry,
                            Map<Regulation, Integer> dueDays, Map<String, String> secrets) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("targets", "archive_batch", "retry", "due_days", "secrets");

    /** How requests are combined for one pass over the archive. */
    public record ArchiveBatch(Duration window, int maxSubjects) {
    }

    /** How a failing step is retried before its receipt is {@code FAILED}. */
    public record Retry(int maxAttempts, Duration baseDelay) {
    }

    /** A config document that cannot be used; the message names the field. */
    public static final class InvalidConfigException extends IllegalStateException {
        public InvalidConfigException(String message) {
            super(message);
        }
    }

    public PrivacyConfig {
        targets = List.copyOf(targets);
        dueDays = Map.copyOf(dueDays);
        secrets = Map.copyOf(secrets);
    }

    /** No targets, the default due days: what a fresh local run starts with. */
    public static PrivacyConfig defaults() {
        return parse("{}");
    }

    public static PrivacyConfig parse(String document) {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (JsonProcessingException e) {
            throw new InvalidConfigException("privacy config is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidConfigException("privacy config must be a JSON object");
        }
        root.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw new InvalidConfigException("privacy config: unknown field '" + name + "'");
            }
        });
        return new PrivacyConfig(targets(root.path("targets")), archiveBatch(root.path("archive_batch")),
                retry(root.path("retry")), dueDays(root.path("due_days")), secrets(root.path("secrets")));
    }

    /** The configured target of this name. */
    public java.util.Optional<Target> target(String name) {
        return targets.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Days from receipt to the deadline under a regulation. */
    public int dueDays(Regulation regulation) {
        return dueDays.get(regulation);
    }

    private static List<Target> targets(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidConfigException("privacy config: targets must be an array");
        }
        List<Target> targets = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode entry = node.get(i);
            String field = "targets[" + i + "]";
            String name = text(entry, "name", field);
            if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new InvalidConfigException("privacy config: " + field + ".name must be 1-64 letters, digits, "
                        + "'.', '_' or '-'");
            }
            if (!names.add(name)) {
                throw new InvalidConfigException("privacy config: " + field + ".name '" + name + "' is used twice");
            }
            TargetKind kind = enumValue(TargetKind.class, text(entry, "kind", field), field + ".kind");
            Set<RequestType> types = kind.defaultRequestTypes();
            JsonNode listed = entry.path("request_types");
            if (!listed.isMissingNode()) {
                if (!listed.isArray()) {
                    throw new InvalidConfigException("privacy config: " + field + ".request_types must be an array");
                }
                types = EnumSet.noneOf(RequestType.class);
                for (JsonNode type : listed) {
                    types.add(enumValue(RequestType.class, type.asText(), field + ".request_types"));
                }
            }
            targets.add(new Target(name, kind, types, entry));
        }
        return targets;
    }

    private static ArchiveBatch archiveBatch(JsonNode node) {
        return new ArchiveBatch(Duration.ofSeconds(positive(node, "window_seconds", 900, "archive_batch")),
                (int) positive(node, "max_subjects", 5000, "archive_batch"));
    }

    private static Retry retry(JsonNode node) {
        return new Retry((int) positive(node, "max_attempts", 8, "retry"),
                Duration.ofSeconds(positive(node, "base_delay_seconds", 30, "retry")));
    }

    private static Map<Regulation, Integer> dueDays(JsonNode node) {
        Map<Regulation, Integer> days = new EnumMap<>(Regulation.class);
        days.put(Regulation.GDPR, 30);
        days.put(Regulation.CCPA, 45);
        if (!node.isMissingNode()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> entry = fields.next();
                Regulation regulation = enumValue(Regulation.class, entry.getKey(), "due_days");
                if (!entry.getValue().canConvertToInt() || entry.getValue().asInt() <= 0
                        || !entry.getValue().isIntegralNumber()) {
                    throw new InvalidConfigException("privacy config: due_days." + entry.getKey()
                            + " must be a positive whole number of days");
                }
                days.put(regulation, entry.getValue().asInt());
            }
        }
        return days;
    }

    private static Map<String, String> secrets(JsonNode node) {
        Map<String, String> secrets = new LinkedHashMap<>();
        if (!node.isMissingNode()) {
            if (!node.isObject()) {
                throw new InvalidConfigException("privacy config: secrets must be an object of strings");
            }
            node.fields().forEachRemaining(entry -> {
                if (!entry.getValue().isTextual()) {
                    throw new InvalidConfigException("privacy config: secrets." + entry.getKey() + " must be a string");
                }
                secrets.put(entry.getKey(), entry.getValue().asText());
            });
        }
        return secrets;
    }

    private static String text(JsonNode entry, String name, String field) {
        JsonNode value = entry.path(name);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new InvalidConfigException("privacy config: " + field + "." + name + " must be a non-empty string");
        }
        return value.asText();
    }

    private static long positive(JsonNode node, String name, long defaultValue, String field) {
        JsonNode value = node.path(name);
        if (value.isMissingNode()) {
            return defaultValue;
        }
        if (!value.isIntegralNumber() || value.asLong() <= 0) {
            throw new InvalidConfigException("privacy config: " + field + "." + name + " must be a positive whole number");
        }
        return value.asLong();
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String field) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("privacy config: " + field + " '" + value + "' is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}
