package dev.tally.rollup;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.tally.money.Money;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * The output tables of a rollup (allocation contract §6, §9) as CSV: one definition of their names,
 * columns and rows, written to files by {@link RollupWriter}, to S3 by the billing function and into the
 * warehouse from there. Money is a plain decimal with ten places; rows in the order the rollup holds them.
 */
public enum RollupTables {
    PRODUCT_AREA_COSTS("product_area_costs", List.of("billing_period", "product_area", "cost")),
    PRODUCT_AREA_AWS_PRODUCT_COSTS("product_area_aws_product_costs",
            List.of("billing_period", "aws_product", "product_area", "cost")),
    SERVICE_COSTS("service_costs", List.of("billing_period", "cluster", "service", "product_area", "cost")),
    UNTAGGED_RESOURCES("untagged_resources", List.of("billing_period", "aws_product", "resource_id", "cost")),
    /** Both forms of rule 1 side by side (§9); written only by a run whose bill has split line items. */
    ECS_SPLIT_COMPARISON("ecs_split_comparison", List.of("billing_period", "cluster", "service", "product_area",
            "events_cost", "aws_cost", "difference"));

    private static final List<String> MONEY = List.of("cost", "events_cost", "aws_cost", "difference");

    private final String id;
    private final List<String> columns;

    RollupTables(String id, List<String> columns) {
        this.id = id;
        this.columns = columns;
    }

    /** The table's name ({@code product_area_costs}); its file is {@code <name>.csv}. */
    public String id() {
        return id;
    }

    /** Its columns, in order; the money columns ({@link #isMoney}) come last. */
    public List<String> columns() {
        return columns;
    }

    /** Whether a column of a table holds money (a decimal at ten places; every other column is text). */
    public static boolean isMoney(String column) {
        return MONEY.contains(column);
    }

    /** Whether a run writes this table: the comparison only when its bill has split line items, the rest always. */
    public boolean writtenFor(Rollup rollup) {
        return this != ECS_SPLIT_COMPARISON || rollup.hasSplitLineItems();
    }

    public String fileName() {
        return id + ".csv";
    }

    /** Writes the table of a rollup as CSV (header first, LF line ends) to {@code out}, which is not closed. */
    public void write(Rollup rollup, OutputStream out) throws IOException {
        write(rollup, out, true);
    }

    /**
     * @param withPeriod false to leave out the {@code billing_period} column, for a store whose partition
     *                   (a {@code billing_period=YYYY-MM/} path) holds it
     */
    public void write(Rollup rollup, OutputStream out, boolean withPeriod) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(writer);
        int from = withPeriod ? 0 : 1;
        csv.writeRecord(columns.subList(from, columns.size()));
        switch (this) {
            case PRODUCT_AREA_COSTS -> rows(csv, from, rollup.productAreaCosts(),
                    r -> List.of(r.billingPeriod(), r.productArea(), Money.format(r.cost())));
            case PRODUCT_AREA_AWS_PRODUCT_COSTS -> rows(csv, from, rollup.productAreaAwsProductCosts(),
                    r -> List.of(r.billingPeriod(), r.awsProduct(), r.productArea(), Money.format(r.cost())));
            case SERVICE_COSTS -> rows(csv, from, rollup.serviceCosts(),
                    r -> List.of(r.billingPeriod(), r.cluster(), r.service(), r.productArea(), Money.format(r.cost())));
            case UNTAGGED_RESOURCES -> rows(csv, from, rollup.untaggedResources(),
                    r -> List.of(r.billingPeriod(), r.awsProduct(), r.resourceId(), Money.format(r.cost())));
            case ECS_SPLIT_COMPARISON -> rows(csv, from, rollup.ecsSplitComparison(),
                    r -> List.of(r.billingPeriod(), r.cluster(), r.service(), r.productArea(),
                            Money.format(r.eventsCost()), Money.format(r.awsCost()), Money.format(r.difference())));
            default -> throw new IllegalStateException(id);
        }
        csv.flush();
    }

    /** The table as CSV bytes (a month's tables are small: aggregates, not bill rows); see {@link #write}. */
    public byte[] bytes(Rollup rollup, boolean withPeriod) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            write(rollup, out, withPeriod);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static <T> void rows(CsvWriter csv, int from, List<T> rows, Function<T, List<String>> fields) {
        for (T row : rows) {
            List<String> values = fields.apply(row);
            csv.writeRecord(values.subList(from, values.size()));
        }
    }
}
