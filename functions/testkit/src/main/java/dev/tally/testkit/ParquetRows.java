package dev.tally.testkit;

import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.NanoTime;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bill's rows as a Snappy Parquet file in AWS's types, from the cells the CSV writer lays out: amounts as
 * {@code DOUBLE} (the double of the CSV's text), times as {@code TIMESTAMP} micros UTC (or {@code INT96}, or
 * strings), tags and the other map columns as {@code MAP<string,string>} (or the CSV's JSON string), every
 * other column a string; an empty cell (and FOCUS's {@code NULL}) is a null.
 *
 * <p>An amount must be the shortest decimal of its double, or a reader of the Parquet file would see another
 * number than the generator booked: a cell of more than 15 significant digits that is not fails the generation
 * (the generator writes such amounts only with {@code extra-decimals}, which then writes them so; see
 * {@link ExtraDecimals}).
 */
final class ParquetRows implements Closeable {
    private static final Set<String> AMOUNTS = Set.of(
            // CUR 2.0
            "line_item_usage_amount", "line_item_unblended_cost", "line_item_blended_cost",
            "reservation_amortized_upfront_cost_for_usage", "reservation_amortized_upfront_fee_for_billing_period",
            "reservation_effective_cost", "reservation_recurring_fee_for_usage",
            "reservation_unused_amortized_upfront_fee_for_billing_period", "reservation_unused_recurring_fee",
            "savings_plan_amortized_upfront_commitment_for_billing_period",
            "savings_plan_recurring_commitment_for_billing_period", "savings_plan_savings_plan_effective_cost",
            "savings_plan_total_commitment_to_date", "savings_plan_used_commitment",
            "split_line_item_actual_usage", "split_line_item_public_on_demand_split_cost",
            "split_line_item_public_on_demand_unused_cost", "split_line_item_reserved_usage",
            "split_line_item_split_cost", "split_line_item_split_usage", "split_line_item_split_usage_ratio",
            "split_line_item_unused_cost",
            // FOCUS
            "BilledCost", "ConsumedQuantity", "ContractedCost", "EffectiveCost", "ListCost", "ListUnitPrice",
            "PricingQuantity");
    private static final Set<String> TIMES = Set.of("bill_billing_period_start_date", "bill_billing_period_end_date",
            "line_item_usage_start_date", "line_item_usage_end_date", "BillingPeriodStart", "BillingPeriodEnd",
            "ChargePeriodStart", "ChargePeriodEnd");
    private static final Set<String> MAPS = Set.of("product", "resource_tags", "cost_category", "discount", "Tags");
    private static final long JULIAN_EPOCH_DAY = 2_440_588;

    private enum Kind { TEXT, AMOUNT, TIMESTAMP, INT96, MAP }

    private final Path file;
    private final ParquetOptions options;
    private final boolean nullText;
    private Kind[] kinds;
    private String[] names;
    private SimpleGroupFactory groups;
    private ParquetWriter<Group> writer;
    private final Map<String, Long> instants = new HashMap<>();

    /** @param nullText whether the text {@code NULL} is a null ({@code focus-nulls}) */
    ParquetRows(Path file, ParquetOptions options, boolean nullText) {
        this.file = file;
        this.options = options;
        this.nullText = nullText;
    }

    /** The columns, in order (the writer's header without a dropped column). */
    void header(List<String> header) throws IOException {
        names = header.toArray(new String[0]);
        kinds = new Kind[names.length];
        List<Type> fields = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            Kind kind;
            if (AMOUNTS.contains(name)) {
                kind = Kind.AMOUNT;
                fields.add(Types.optional(PrimitiveTypeName.DOUBLE).named(name));
            } else if (TIMES.contains(name) && options.times() == ParquetOptions.Times.TIMESTAMP) {
                kind = Kind.TIMESTAMP;
                fields.add(Types.optional(PrimitiveTypeName.INT64)
                        .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS))
                        .named(name));
            } else if (TIMES.contains(name) && options.times() == ParquetOptions.Times.INT96) {
                kind = Kind.INT96;
                fields.add(Types.optional(PrimitiveTypeName.INT96).named(name));
            } else if (MAPS.contains(name) && options.tags() == ParquetOptions.Tags.MAP) {
                kind = Kind.MAP;
                fields.add(Types.optionalGroup().as(LogicalTypeAnnotation.mapType())
                        .addField(Types.repeatedGroup()
                                .addField(Types.required(PrimitiveTypeName.BINARY)
                                        .as(LogicalTypeAnnotation.stringType()).named("key"))
                                .addField(Types.optional(PrimitiveTypeName.BINARY)
                                        .as(LogicalTypeAnnotation.stringType()).named("value"))
                                .named("key_value"))
                        .named(name));
            } else {
                kind = Kind.TEXT;
                fields.add(Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name));
            }
            kinds[i] = kind;
        }
        MessageType schema = new MessageType("bill", fields);
        groups = new SimpleGroupFactory(schema);
        Files.deleteIfExists(file);
        writer = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(options.rowGroupBytes())
                .withDictionaryEncoding(true)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build();
    }

    /** One data row: the first {@code count} of {@code cells} are the columns of {@link #header}. */
    void row(String[] cells, int count) throws IOException {
        if (count != names.length) {
            throw new IllegalStateException("a Parquet row has every column: " + count + " cells for "
                    + names.length + " columns");
        }
        Group g = groups.newGroup();
        for (int i = 0; i < count; i++) {
            String cell = cells[i];
            if (cell == null || cell.isEmpty() || nullText && BillWriter.NULL.equals(cell)) {
                continue;
            }
            switch (kinds[i]) {
                case AMOUNT -> g.add(i, amount(names[i], cell));
                case TIMESTAMP -> g.add(i, Math.multiplyExact(millis(cell), 1000L));
                case INT96 -> {
                    long millis = millis(cell);
                    long day = Math.floorDiv(millis, 86_400_000L);
                    g.add(i, new NanoTime((int) (day + JULIAN_EPOCH_DAY), (millis - day * 86_400_000L) * 1_000_000L));
                }
                case MAP -> {
                    Group map = g.addGroup(i);
                    for (Map.Entry<String, String> e : jsonObject(names[i], cell).entrySet()) {
                        Group entry = map.addGroup(0);
                        entry.add(0, e.getKey());
                        if (e.getValue() != null) {
                            entry.add(1, e.getValue());
                        }
                    }
                }
                default -> g.add(i, cell);
            }
        }
        writer.write(g);
    }

    /** The double of an amount's text, which must give the text back as its shortest decimal. */
    static double amount(String column, String text) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(column + ": not a number for a DOUBLE column: '" + text + "'");
        }
        if (significantDigits(text) > 15 && Amounts.shortestDecimal(value).compareTo(new BigDecimal(text)) != 0) {
            throw new IllegalStateException(column + ": " + text + " is not the shortest decimal of its double ("
                    + Amounts.shortestDecimal(value) + "): a Parquet reader would read another amount");
        }
        return value;
    }

    private static int significantDigits(String text) {
        int digits = 0;
        boolean leading = true;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 'E' || c == 'e') {
                break;
            }
            if (c >= '1' && c <= '9' || c == '0' && !leading) {
                digits++;
                leading = false;
            }
        }
        return digits;
    }

    private long millis(String text) {
        Long millis = instants.get(text);
        if (millis == null) {
            millis = Instant.parse(text).toEpochMilli();
            if (instants.size() > 10_000) {
                instants.clear();
            }
            instants.put(text, millis);
        }
        return millis;
    }

    /** The writers' JSON maps: a flat object of strings (escaped as {@link BillWriter#jsonEscape} writes them). */
    static Map<String, String> jsonObject(String column, String json) {
        Map<String, String> map = new LinkedHashMap<>();
        int[] at = {skip(json, 0)};
        expect(column, json, at, '{');
        if (peek(json, at) == '}') {
            return map;
        }
        while (true) {
            String key = string(column, json, at);
            expect(column, json, at, ':');
            String value = json.startsWith("null", at[0]) ? null : string(column, json, at);
            if (value == null) {
                at[0] += 4;
            }
            map.put(key, value);
            if (peek(json, at) == ',') {
                at[0]++;
                continue;
            }
            expect(column, json, at, '}');
            return map;
        }
    }

    private static char peek(String json, int[] at) {
        at[0] = skip(json, at[0]);
        return at[0] < json.length() ? json.charAt(at[0]) : 0;
    }

    private static int skip(String json, int at) {
        while (at < json.length() && Character.isWhitespace(json.charAt(at))) {
            at++;
        }
        return at;
    }

    private static void expect(String column, String json, int[] at, char c) {
        if (peek(json, at) != c) {
            throw new IllegalStateException(column + ": not a flat JSON object of strings: " + json);
        }
        at[0]++;
    }

    private static String string(String column, String json, int[] at) {
        expect(column, json, at, '"');
        StringBuilder sb = new StringBuilder();
        while (at[0] < json.length()) {
            char c = json.charAt(at[0]++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                char e = json.charAt(at[0]++);
                switch (e) {
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(json.substring(at[0], at[0] + 4), 16));
                        at[0] += 4;
                    }
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    default -> sb.append(e);
                }
            } else {
                sb.append(c);
            }
        }
        throw new IllegalStateException(column + ": unterminated JSON string: " + json);
    }

    @Override
    public void close() throws IOException {
        if (writer != null) {
            writer.close();
        }
    }
}
