package dev.tally.testkit;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads a generated bill the way the spec describes it (§1, §2), independently of the generator: amounts plain or
 * with an exponent, rounded half-even to 10 places when read; in FOCUS a {@code NULL} cell is empty; with a billing
 * period given, cost rows of other periods (by the period column, DBR: by usage start) are tallied apart.
 */
final class BillCheck {
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    private static final DateTimeFormatter DBR_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** Column names per format: cost, product, resource, start, end, invoice id. */
    record Columns(String cost, String product, String resource, String start, String end, String invoice) {
        static Columns of(BillFormat f) {
            switch (f) {
                case DBR:
                    return new Columns("UnBlendedCost", "ProductName", "ResourceId", "UsageStartDate", "UsageEndDate",
                            "InvoiceID");
                case CUR:
                    return new Columns("lineItem/UnblendedCost", "product/ProductName", "lineItem/ResourceId",
                            "lineItem/UsageStartDate", "lineItem/UsageEndDate", "bill/InvoiceId");
                case CUR2:
                    return new Columns("line_item_unblended_cost", "product_product_name", "line_item_resource_id",
                            "line_item_usage_start_date", "line_item_usage_end_date", "bill_invoice_id");
                default:
                    return new Columns("BilledCost", "ServiceName", "ResourceId", "ChargePeriodStart",
                            "ChargePeriodEnd", "InvoiceId");
            }
        }
    }

    /** The billing-period start column, or null (DBR has none). */
    static String periodColumn(BillFormat f) {
        switch (f) {
            case CUR:
                return "bill/BillingPeriodStartDate";
            case CUR2:
                return "bill_billing_period_start_date";
            case FOCUS:
                return "BillingPeriodStart";
            default:
                return null;
        }
    }

    /** A cost line item as the test sees it; {@code cost} is the amount rounded half-even to 10 places. */
    record CostRow(Map<String, String> fields, BigDecimal cost, long startMs, long endMs) {
        String get(String column) {
            return fields.get(column);
        }
    }

    List<String> header;
    /** Σ of the cost line items' amounts, each rounded half-even to 10 places. */
    BigDecimal total = BigDecimal.ZERO;
    /** Amounts with more than 10 decimal places, and Σ (rounded − as written) over them. */
    long roundedAmounts;
    BigDecimal roundingDifference = BigDecimal.ZERO;
    /** Cost rows of other billing periods, per {@code YYYY-MM}: count and Σ of the amounts. */
    final Map<String, Long> otherRows = new TreeMap<>();
    final Map<String, BigDecimal> otherCost = new TreeMap<>();
    private YearMonth period;
    long lineItems;
    long skipped;
    long malformed;
    final TreeSet<String> invoiceIds = new TreeSet<>();
    final List<String> skippedRecordTypes = new ArrayList<>();

    static BillCheck read(Path bill, BillFormat format, Consumer<CostRow> each) throws IOException {
        return read(bill, format, null, each);
    }

    /** @param period the bill's billing period, or null: every cost row belongs to it */
    static BillCheck read(Path bill, BillFormat format, YearMonth period, Consumer<CostRow> each) throws IOException {
        BillCheck c = new BillCheck();
        c.period = period;
        Columns cols = Columns.of(format);
        TestFiles.csv(bill, rec -> c.accept(rec, format, cols, each));
        return c;
    }

    private void accept(List<String> rec, BillFormat format, Columns cols, Consumer<CostRow> each) {
        if (header == null) {
            header = rec;
            return;
        }
        if (rec.size() != header.size()) {
            malformed++;
            return;
        }
        Map<String, String> f = new TreeMap<>();
        for (int i = 0; i < rec.size(); i++) {
            String v = rec.get(i);
            f.put(header.get(i), format == BillFormat.FOCUS && v.equals("NULL") ? "" : v);
        }
        boolean costRow = !f.get(cols.product()).isEmpty()
                && (format != BillFormat.DBR || "LineItem".equals(f.get("RecordType")));
        if (!costRow) {
            skipped++;
            if (format == BillFormat.DBR) {
                skippedRecordTypes.add(f.get("RecordType"));
            }
            return;
        }
        String cost = f.get(cols.cost());
        long start;
        long end;
        try {
            start = instant(f.get(cols.start()));
            end = instant(f.get(cols.end()));
        } catch (DateTimeParseException e) {
            malformed++;
            return;
        }
        if (!DECIMAL.matcher(cost).matches()) {
            malformed++;
            return;
        }
        BigDecimal written = new BigDecimal(cost);
        BigDecimal amount = written.setScale(10, RoundingMode.HALF_EVEN);
        if (period != null) {
            String pc = periodColumn(format);
            YearMonth rowPeriod = YearMonth.from(Instant.ofEpochMilli(pc == null ? start : instant(f.get(pc)))
                    .atZone(ZoneOffset.UTC));
            if (!rowPeriod.equals(period)) {
                otherRows.merge(rowPeriod.toString(), 1L, Long::sum);
                otherCost.merge(rowPeriod.toString(), written, BigDecimal::add);
                return;
            }
        }
        if (written.stripTrailingZeros().scale() > 10) {
            roundedAmounts++;
            roundingDifference = roundingDifference.add(amount.subtract(written));
        }
        total = total.add(amount);
        lineItems++;
        invoiceIds.add(f.get(cols.invoice()));
        if (each != null) {
            each.accept(new CostRow(f, amount, start, end));
        }
    }

    static long instant(String text) {
        if (text.length() == 19 && text.charAt(10) == ' ') {
            return LocalDateTime.parse(text, DBR_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        return Instant.parse(text).toEpochMilli();
    }
}
