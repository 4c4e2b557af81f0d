package dev.tally.allocation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.tally.InputException;
import dev.tally.billing.Bill;
import dev.tally.billing.BillFormat;
import dev.tally.billing.BillListener;
import dev.tally.billing.BillPart;
import dev.tally.billing.BillReadReport;
import dev.tally.billing.BillReader;
import dev.tally.billing.CostBasis;
import dev.tally.billing.CostLine;
import dev.tally.billing.ReadSettings;
import dev.tally.money.ExactSplit;
import dev.tally.money.Money;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Upfront fees spread over their term, for bills without amortization columns (DBR; allocation contract
 * §8): each entry's amount is split into {@code months} equal parts by the exact split (§5, so the first
 * month takes the remainder), and a period the term covers carries its part as one shared charge of the
 * entry's product.
 *
 * <p>The file is a JSON array of {@code {"aws_product": P, "amount": "12000.00", "first_period":
 * "2016-12", "months": 12}}; {@link #ofSignUpCharges} finds the entries for the sign-up charges of a bill.
 */
public final class UpfrontLedger {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /**
     * One upfront fee.
     *
     * @param amount at {@link Money#SCALE} places (rounded half-even when read, as every cost)
     */
    public record Entry(String awsProduct, BigDecimal amount, YearMonth firstPeriod, int months) {
        public Entry {
            if (months < 1) {
                throw new IllegalArgumentException("months must be at least 1");
            }
            amount = Money.round(amount);
        }

        /** This entry's part of a period: empty when the term does not cover it. */
        Optional<BigDecimal> partOf(YearMonth period) {
            long index = ChronoUnit.MONTHS.between(firstPeriod, period);
            if (index < 0 || index >= months) {
                return Optional.empty();
            }
            SortedMap<Integer, BigDecimal> equal = new TreeMap<>();
            for (int m = 0; m < months; m++) {
                equal.put(m, BigDecimal.ONE);
            }
            return Optional.of(ExactSplit.split(amount, equal).get((int) index));
        }
    }

    /** A ledger entry's part of one period: a shared charge of its product. */
    public record Part(String awsProduct, BigDecimal amount) {
    }

    private final List<Entry> entries;

    public UpfrontLedger(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The parts of the period, in the ledger's order. */
    public List<Part> partsOf(YearMonth period) {
        List<Part> parts = new ArrayList<>();
        for (Entry entry : entries) {
            entry.partOf(period).ifPresent(amount -> parts.add(new Part(entry.awsProduct(), amount)));
        }
        return parts;
    }

    /**
     * Reads a ledger file.
     *
     * @throws InputException naming the file and the entry when it is not a ledger
     */
    public static UpfrontLedger read(Path file) {
        byte[] json;
        try {
            json = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InputException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
        return parse(file.toString(), json);
    }

    /**
     * Reads a ledger from its bytes (an object in S3, say), as {@link #read} reads a file.
     *
     * @param name what to call it in messages (a path, an {@code s3://} URI)
     * @throws InputException naming it and the entry when it is not a ledger
     */
    public static UpfrontLedger parse(String name, byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InputException(name + ": not valid JSON (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new InputException(name + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isArray()) {
            throw new InputException(name + ": an upfront ledger is a JSON array of entries");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            entries.add(entry(name, i, root.get(i)));
        }
        return new UpfrontLedger(entries);
    }

    private static Entry entry(String name, int index, JsonNode node) {
        String where = name + ": entry " + (index + 1);
        if (!node.isObject()) {
            throw new InputException(where + " is not an object");
        }
        String product = text(node, "aws_product", where);
        if (product.isBlank()) {
            throw new InputException(where + ": aws_product is empty");
        }
        BigDecimal amount;
        JsonNode amountNode = node.get("amount");
        try {
            amount = amountNode != null && amountNode.isNumber() ? amountNode.decimalValue()
                    : Money.parseAsWritten(text(node, "amount", where));
        } catch (NumberFormatException e) {
            throw new InputException(where + ": amount is not a decimal number");
        }
        YearMonth first;
        try {
            first = YearMonth.parse(text(node, "first_period", where).trim());
        } catch (DateTimeParseException e) {
            throw new InputException(where + ": first_period is not a month like 2016-12");
        }
        JsonNode months = node.get("months");
        if (months == null || !months.canConvertToInt() || !months.isIntegralNumber() || months.intValue() < 1) {
            throw new InputException(where + ": months must be a whole number of at least 1");
        }
        return new Entry(product.trim(), amount, first, months.intValue());
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new InputException(where + ": " + field + " is missing or not a string");
        }
        return value.asText();
    }

    /**
     * The entries for the upfront fees of a DBR bill: one per sign-up charge row ({@code ItemDescription}
     * beginning {@code Sign up charge for subscription}), in file order, starting in the bill's period.
     *
     * @param months the term to spread each over
     * @return the ledger and the period it starts in (null when the bill has no cost rows)
     */
    public static Found ofSignUpCharges(Bill bill, String tagKey, int months) {
        List<Part> fees = new ArrayList<>();
        List<BillReadReport> reports = new ArrayList<>();
        BillReader reader = new BillReader(new ReadSettings(tagKey, CostBasis.AMORTIZED));
        BillListener listener = new BillListener() {
            @Override
            public void onBillingPeriod(YearMonth period) {
            }

            @Override
            public void onCostLine(CostLine line) {
            }

            @Override
            public void onUpfrontFee(String product, BigDecimal amount) {
                fees.add(new Part(product, amount));
            }
        };
        for (BillPart part : bill.parts()) {
            reports.add(reader.read(part, null, listener, bytes -> { }));
        }
        YearMonth period = BillReadReport.periodByRows(reports);
        List<Entry> entries = period == null ? List.of()
                : fees.stream().map(fee -> new Entry(fee.awsProduct(), fee.amount(), period, months)).toList();
        return new Found(new UpfrontLedger(entries), period, reports.get(0).format());
    }

    /** What {@link #ofSignUpCharges} found: the ledger, the bill's period, its format. */
    public record Found(UpfrontLedger ledger, YearMonth period, BillFormat format) {
    }

    /** Writes a ledger as the file {@link #read} reads. */
    public String toJson() {
        ArrayNode array = JSON.createArrayNode();
        for (Entry entry : entries) {
            array.addObject()
                    .put("aws_product", entry.awsProduct())
                    .put("amount", Money.format(entry.amount()))
                    .put("first_period", entry.firstPeriod().toString())
                    .put("months", entry.months());
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(array);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
