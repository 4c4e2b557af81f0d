package dev.tally.spend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * When a move in spend is worth a message. A JSON document:
 * <pre>
 * {
 *   "default":       {"absolute": "1000.00", "relative": "0.25", "min_spend": "500.00"},
 *   "product_areas": {"search": {"absolute": "200.00"}},
 *   "services":      {"prod/indexer": {"relative": "0.5", "min_spend": "50"}},
 *   "watch":         ["product_area", "service"]
 * }
 * </pre>
 * A subject's thresholds are the default's, field by field overridden by its own entry. A change alerts when it is at
 * least {@code absolute} (in the bill's currency) or at least {@code relative} (a fraction: 0.25 is 25 %), either
 * omitted meaning "not this test", and when the larger of the two months' costs is at least {@code min_spend} (default
 * 0). {@code watch} names the subjects looked at ({@code product_area}, {@code service}); both by default. Amounts are
 * decimals, as strings or JSON numbers. Anything else in the document is an error that names it.
 */
public record AlertRules(Thresholds defaults, Map<String, Thresholds> areas, Map<String, Thresholds> services,
                         Set<Subject.Kind> watched) {

    /** The tests of one subject; empty fields are not tested. */
    public record Thresholds(Optional<BigDecimal> absolute, Optional<BigDecimal> relative,
                             Optional<BigDecimal> minSpend) {
        public static final Thresholds NONE = new Thresholds(Optional.empty(), Optional.empty(), Optional.empty());

        /** These, with {@code over}'s fields where it has them. */
        Thresholds with(Thresholds over) {
            return new Thresholds(over.absolute.or(() -> absolute), over.relative.or(() -> relative),
                    over.minSpend.or(() -> minSpend));
        }

        /** Whether a change passes: large enough by either test, on enough spend. */
        public boolean passedBy(Change change) {
            BigDecimal larger = change.previous().max(change.current());
            if (larger.compareTo(minSpend.orElse(BigDecimal.ZERO)) < 0) {
                return false;
            }
            boolean byAbsolute = absolute.isPresent() && change.delta().abs().compareTo(absolute.get()) >= 0;
            boolean byRelative = relative.isPresent() && change.relative()
                    .map(r -> r.abs().compareTo(relative.get()) >= 0).orElse(change.delta().signum() != 0);
            return byAbsolute || byRelative;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));
    private static final Set<String> TOP = Set.of("default", "product_areas", "services", "watch");
    private static final Set<String> FIELDS = Set.of("absolute", "relative", "min_spend");

    public AlertRules {
        areas = Collections.unmodifiableMap(new TreeMap<>(areas));
        services = Collections.unmodifiableMap(new TreeMap<>(services));
        watched = Collections.unmodifiableSet(EnumSet.copyOf(watched));
    }

    /** The thresholds of one subject. */
    public Thresholds of(Subject subject) {
        return switch (subject.kind()) {
            case AREA -> defaults.with(areas.getOrDefault(subject.first(), Thresholds.NONE));
            case SERVICE -> defaults.with(services.getOrDefault(subject.label(), Thresholds.NONE));
            default -> defaults;
        };
    }

    /**
     * @param name how messages name the document (a path, an S3 URI, an environment variable)
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static AlertRules read(String name, InputStream json) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(name + " is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(name + " must be a JSON object");
        }
        unknown(name, "", root, TOP);
        Thresholds defaults = root.has("default") ? thresholds(name, "default", root.get("default")) : Thresholds.NONE;
        Map<String, Thresholds> areas = entries(name, "product_areas", root.path("product_areas"));
        Map<String, Thresholds> services = entries(name, "services", root.path("services"));
        Set<Subject.Kind> watched = EnumSet.of(Subject.Kind.AREA, Subject.Kind.SERVICE);
        if (root.has("watch")) {
            watched = EnumSet.noneOf(Subject.Kind.class);
            if (!root.get("watch").isArray()) {
                throw new IllegalArgumentException(name + ": watch must be a list of product_area, service");
            }
            for (JsonNode kind : root.get("watch")) {
                switch (kind.asText()) {
                    case "product_area" -> watched.add(Subject.Kind.AREA);
                    case "service" -> watched.add(Subject.Kind.SERVICE);
                    default -> throw new IllegalArgumentException(name + ": watch has " + kind
                            + "; it may hold product_area and service");
                }
            }
        }
        return new AlertRules(defaults, areas, services, watched.isEmpty() ? EnumSet.noneOf(Subject.Kind.class)
                : watched);
    }

    private static Map<String, Thresholds> entries(String name, String field, JsonNode node) {
        Map<String, Thresholds> entries = new TreeMap<>();
        if (node.isMissingNode()) {
            return entries;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(name + ": " + field + " must be an object of thresholds by name");
        }
        node.fields().forEachRemaining(e -> entries.put(e.getKey(),
                thresholds(name, field + "." + e.getKey(), e.getValue())));
        return entries;
    }

    private static Thresholds thresholds(String name, String path, JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(name + ": " + path + " must be an object with absolute, relative, "
                    + "min_spend");
        }
        unknown(name, path + ".", node, FIELDS);
        return new Thresholds(amount(name, path + ".absolute", node.get("absolute")),
                amount(name, path + ".relative", node.get("relative")),
                amount(name, path + ".min_spend", node.get("min_spend")));
    }

    private static Optional<BigDecimal> amount(String name, String path, JsonNode node) {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        try {
            if (!node.isTextual() && !node.isNumber()) {
                throw new NumberFormatException();
            }
            BigDecimal value = new BigDecimal(node.asText().trim());
            if (value.signum() < 0) {
                throw new IllegalArgumentException(name + ": " + path + " must not be negative");
            }
            return Optional.of(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": " + path + " must be a decimal number");
        }
    }

    private static void unknown(String name, String path, JsonNode node, Set<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!known.contains(field)) {
                throw new IllegalArgumentException(name + ": unknown field " + path + field + " (known: "
                        + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
    }
}
