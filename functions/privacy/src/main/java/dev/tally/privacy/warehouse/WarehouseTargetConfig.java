package dev.tally.privacy.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tally.privacy.PrivacyConfig.InvalidConfigException;
import dev.tally.privacy.SubjectType;
import dev.tally.privacy.Target;
import dev.tally.privacy.TargetKind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@code WAREHOUSE} target's entry in the config document (docs/privacy-warehouse.md):
 * <pre>{"name": "warehouse", "kind": "WAREHOUSE", "tables": ["analytics.tracks"], "schemas": ["analytics"],
 *  "columns": {"USER_ID": "user_id", "EMAIL": "email"}, "batch_size": 1000}</pre>
 * Parsed strictly: an unknown field, a table or column that is not a plain lower-case identifier, a repeated table,
 * neither {@code tables} nor {@code schemas}, or a batch size outside 1..{@value #MAX_BATCH_SIZE} fails with an
 * {@link InvalidConfigException} naming {@code targets[<name>].<field>}. Identifiers are checked here because they
 * are written into SQL text as they are.
 *
 * @param tables    tables to delete from, {@code table} or {@code schema.table}, in the order given
 * @param schemas   schemas whose every base table with the subject type's column is deleted from too
 * @param columns   per subject type, the column that holds it; a type without one is not supported
 * @param batchSize the most ids in one {@code DELETE}
 */
public record WarehouseTargetConfig(String name, List<String> tables, List<String> schemas,
                                    Map<SubjectType, String> columns, int batchSize) {
    public static final int DEFAULT_BATCH_SIZE = 1000;
    public static final int MAX_BATCH_SIZE = 5000;
    /** A lower-case SQL identifier as Redshift and PostgreSQL fold unquoted ones (Redshift allows 127 bytes). */
    static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]{0,126}");
    private static final Pattern TABLE = Pattern.compile("(" + IDENTIFIER.pattern() + "\\.)?" + IDENTIFIER.pattern());
    private static final Set<String> FIELDS =
            Set.of("name", "kind", "request_types", "tables", "schemas", "columns", "batch_size");

    public WarehouseTargetConfig {
        tables = List.copyOf(tables);
        schemas = List.copyOf(schemas);
        columns = columns.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(columns));
    }

    /** The column holding ids of this type, if the target is configured for it. */
    public Optional<String> column(SubjectType type) {
        return Optional.ofNullable(columns.get(type));
    }

    /** The target's settings, validated. Call it at start for every warehouse target, so a mistake fails early. */
    public static WarehouseTargetConfig of(Target target) {
        if (target.kind() != TargetKind.WAREHOUSE) {
            throw new IllegalArgumentException("target " + target.name() + " is " + target.kind() + ", not WAREHOUSE");
        }
        String field = "targets[" + target.name() + "]";
        JsonNode settings = target.settings();
        settings.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw invalid(field + "." + name, "is not a field of a WAREHOUSE target");
            }
        });
        List<String> tables = names(settings.path("tables"), field + ".tables", TABLE,
                "is not a table name (lower-case [a-z_][a-z0-9_$]*, optionally schema.table)");
        List<String> schemas = names(settings.path("schemas"), field + ".schemas", IDENTIFIER,
                "is not a schema name (lower-case [a-z_][a-z0-9_$]*)");
        if (tables.isEmpty() && schemas.isEmpty()) {
            throw invalid(field + ".tables", "or " + field + ".schemas must name at least one table or schema");
        }
        return new WarehouseTargetConfig(target.name(), tables, schemas, columns(settings.path("columns"),
                field + ".columns"), batchSize(settings.path("batch_size"), field + ".batch_size"));
    }

    private static List<String> names(JsonNode node, String field, Pattern shape, String shapeMessage) {
        if (node.isMissingNode()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid(field, "must be an array of strings");
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode name = node.get(i);
            if (!name.isTextual()) {
                throw invalid(field + "[" + i + "]", "must be a string");
            }
            if (!shape.matcher(name.asText()).matches()) {
                throw invalid(field + "[" + i + "]", "'" + printable(name.asText()) + "' " + shapeMessage);
            }
            if (!names.add(name.asText())) {
                throw invalid(field + "[" + i + "]", "'" + name.asText() + "' is listed twice");
            }
        }
        return new ArrayList<>(names);
    }

    private static Map<SubjectType, String> columns(JsonNode node, String field) {
        if (!node.isObject() || node.isEmpty()) {
            throw invalid(field, "must map at least one subject type (USER_ID, EMAIL) to a column");
        }
        Map<SubjectType, String> columns = new EnumMap<>(SubjectType.class);
        node.fields().forEachRemaining(entry -> {
            SubjectType type;
            try {
                type = SubjectType.valueOf(entry.getKey());
            } catch (IllegalArgumentException e) {
                throw invalid(field + "." + entry.getKey(), "is not a subject type (one of "
                        + java.util.Arrays.toString(SubjectType.values()) + ")");
            }
            JsonNode column = entry.getValue();
            if (!column.isTextual() || !IDENTIFIER.matcher(column.asText()).matches()) {
                throw invalid(field + "." + entry.getKey(), "must be a column name (lower-case [a-z_][a-z0-9_$]*)");
            }
            columns.put(type, column.asText());
        });
        return columns;
    }

    private static int batchSize(JsonNode node, String field) {
        if (node.isMissingNode()) {
            return DEFAULT_BATCH_SIZE;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1 || node.asInt() > MAX_BATCH_SIZE) {
            throw invalid(field, "must be a whole number from 1 to " + MAX_BATCH_SIZE);
        }
        return node.asInt();
    }

    private static InvalidConfigException invalid(String field, String problem) {
        return new InvalidConfigException("privacy config: " + field + " " + problem);
    }

    private static String printable(String value) {
        String cut = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
