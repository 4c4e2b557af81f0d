package dev.tally.rollup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipInputStream;

/**
 * The allocation contract's §8 written out a second time, for tests, apart from the engine's readers: a bill read
 * with FastCSV record by record, each cost line item's amortized amount taken from the §8 table in exact decimals
 * (every cell rounded half-even to ten places before two are added), summed in total and per product, plus for DBR
 * the parts of an upfront ledger's entries that cover the period (§5's equal split: the first month takes the
 * remainder). Rows that are not cost line items (§2), malformed rows and rows of other billing periods (§1) are left
 * out as the contract says.
 */
final class AmortizedBillTotals {
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final DateTimeFormatter DBR_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String SIGN_UP = "Sign up charge for subscription";

    /** The columns §1 and §8 name, per format. */
    private record Names(String cost, String product, String start, String period, String type, String arn,
                         String spEffective, String spTotal, String spUsed, String riEffective, String riUnusedUpfront,
                         String riUnusedRecurring) {
    }

    private static final Map<String, Names> FORMATS = Map.of(
            "dbr", new Names("UnBlendedCost", "ProductName", "UsageStartDate", null, null, null, null, null, null,
                    null, null, null),
            "cur", new Names("lineItem/UnblendedCost", "product/ProductName", "lineItem/UsageStartDate",
                    "bill/BillingPeriodStartDate", "lineItem/LineItemType", "reservation/ReservationARN",
                    "savingsPlan/SavingsPlanEffectiveCost", "savingsPlan/TotalCommitmentToDate",
                    "savingsPlan/UsedCommitment", "reservation/EffectiveCost",
                    "reservation/UnusedAmortizedUpfrontFeeForBillingPeriod", "reservation/UnusedRecurringFee"),
            "cur2", new Names("line_item_unblended_cost", "product_product_name", "line_item_usage_start_date",
                    "bill_billing_period_start_date", "line_item_line_item_type", "reservation_reservation_a_r_n",
                    "savings_plan_savings_plan_effective_cost", "savings_plan_total_commitment_to_date",
                    "savings_plan_used_commitment", "reservation_effective_cost",
                    "reservation_unused_amortized_upfront_fee_for_billing_period", "reservation_unused_recurring_fee"),
            "focus", new Names("BilledCost", "ServiceName", "ChargePeriodStart", "BillingPeriodStart", null, null,
                    null, null, null, null, null, null));

    /** Σ of the amortized amounts, and per product. */
    BigDecimal total = BigDecimal.ZERO;
    final SortedMap<String, BigDecimal> perProduct = new TreeMap<>();
    /** Cost line items under the amortized basis, and the DBR sign-up charges left out. */
    long lineItems;
    long signUpCharges;
    /** Σ of the ledger parts of the period (DBR with a ledger). */
    BigDecimal ledgerParts = BigDecimal.ZERO;

    private final String format;
    private final YearMonth period;
    private Map<String, Integer> columns;

    private AmortizedBillTotals(String format, YearMonth period) {
        this.format = format;
        this.period = period;
    }

    /**
     * @param format {@code dbr}, {@code cur}, {@code cur2} or {@code focus}
     * @param ledger the DBR upfront ledger file, or null
     */
    static AmortizedBillTotals of(Path bill, String format, YearMonth period, Path ledger) throws IOException {
        AmortizedBillTotals t = new AmortizedBillTotals(format, period);
        try (Reader in = new InputStreamReader(open(bill), StandardCharsets.UTF_8);
             CsvReader<CsvRecord> csv = CsvReader.builder().allowExtraFields(true).allowMissingFields(true)
                     .ofCsvRecord(in)) {
            for (CsvRecord record : csv) {
                t.accept(record.getFields());
            }
        }
        if (ledger != null) {
            for (JsonNode entry : new ObjectMapper().readTree(ledger.toFile())) {
                t.ledgerEntry(entry.get("aws_product").asText(), new BigDecimal(entry.get("amount").asText()),
                        YearMonth.parse(entry.get("first_period").asText()), entry.get("months").asInt());
            }
        }
        return t;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        String name = file.getFileName().toString();
        if (name.endsWith(".gz")) {
            return new GZIPInputStream(in);
        }
        if (name.endsWith(".zip")) {
            ZipInputStream zip = new ZipInputStream(in);
            zip.getNextEntry();
            return zip;
        }
        return in;
    }

    private void accept(List<String> fields) {
        if (columns == null) {
            columns = new HashMap<>();
            for (int i = 0; i < fields.size(); i++) {
                columns.put(fields.get(i), i);
            }
            return;
        }
        if (fields.size() != columns.size()) {
            return; // malformed: wrong number of fields
        }
        Names n = FORMATS.get(format);
        String product = cell(fields, n.product());
        if (product.isBlank() || (format.equals("dbr") && !cell(fields, "RecordType").equals("LineItem"))) {
            return; // not a cost line item
        }
        String cost = cell(fields, n.cost());
        Instant start;
        try {
            start = instant(cell(fields, n.start()));
        } catch (DateTimeParseException e) {
            return; // malformed: unparseable date
        }
        if (!DECIMAL.matcher(cost).matches()) {
            return; // malformed: unparseable cost
        }
        Instant periodStart = n.period() == null ? start : instant(cell(fields, n.period()));
        if (!YearMonth.from(periodStart.atZone(ZoneOffset.UTC)).equals(period)) {
            return; // a row of another billing period
        }
        if (format.equals("dbr") && cell(fields, "ItemDescription").strip().startsWith(SIGN_UP)) {
            signUpCharges++;
            return; // spread by the ledger instead, not a line item under the amortized basis
        }
        BigDecimal amount = amortized(fields, n, amount(cost));
        lineItems++;
        total = total.add(amount);
        perProduct.merge(product.strip(), amount, BigDecimal::add);
    }

    /** The §8 table. */
    private BigDecimal amortized(List<String> fields, Names n, BigDecimal unblended) {
        if (format.equals("focus")) {
            return amount(cell(fields, "EffectiveCost"));
        }
        if (format.equals("dbr")) {
            return unblended;
        }
        switch (cell(fields, n.type()).strip()) {
            case "SavingsPlanCoveredUsage":
                return amount(cell(fields, n.spEffective()));
            case "SavingsPlanRecurringFee":
                return amount(cell(fields, n.spTotal())).subtract(amount(cell(fields, n.spUsed())));
            case "SavingsPlanNegation":
            case "SavingsPlanUpfrontFee":
                return BigDecimal.ZERO.setScale(10);
            case "DiscountedUsage":
                return amount(cell(fields, n.riEffective()));
            case "RIFee":
                return amount(cell(fields, n.riUnusedUpfront())).add(amount(cell(fields, n.riUnusedRecurring())));
            case "Fee":
                return cell(fields, n.arn()).isBlank() ? unblended : BigDecimal.ZERO.setScale(10);
            default:
                return unblended;
        }
    }

    private void ledgerEntry(String product, BigDecimal amount, YearMonth first, int months) {
        long index = ChronoUnit.MONTHS.between(first, period);
        if (index < 0 || index >= months) {
            return;
        }
        BigDecimal whole = amount.setScale(10, RoundingMode.HALF_EVEN);
        BigDecimal each = whole.divide(BigDecimal.valueOf(months), 10, RoundingMode.HALF_EVEN);
        BigDecimal part = index == 0 ? whole.subtract(each.multiply(BigDecimal.valueOf(months - 1))) : each;
        ledgerParts = ledgerParts.add(part);
        total = total.add(part);
        perProduct.merge(product, part, BigDecimal::add);
    }

    /** A cell by column name: "" when the bill lacks the column; FOCUS's {@code NULL} is empty. */
    private String cell(List<String> fields, String column) {
        Integer i = column == null ? null : columns.get(column);
        if (i == null) {
            return "";
        }
        String v = fields.get(i);
        return format.equals("focus") && v.equals("NULL") ? "" : v;
    }

    /** An amount cell: empty is 0; rounded half-even to ten places. */
    private static BigDecimal amount(String text) {
        String t = text.strip();
        return (t.isEmpty() ? BigDecimal.ZERO : new BigDecimal(t)).setScale(10, RoundingMode.HALF_EVEN);
    }

    private static Instant instant(String text) {
        String t = text.strip();
        if (t.length() == 19 && t.charAt(10) == ' ') {
            return LocalDateTime.parse(t, DBR_TIME).toInstant(ZoneOffset.UTC);
        }
        return Instant.parse(t);
    }
}
