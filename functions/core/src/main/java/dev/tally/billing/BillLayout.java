package dev.tally.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Where the columns the engine needs sit in one bill's header, for one of the four formats.
 * Columns are always found by name; their order is never assumed.
 */
final class BillLayout {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int ABSENT = -1;

    final BillFormat format;
    final int fieldCount;
    final int invoiceId;
    final int recordType;
    final int product;
    final int productMap;
    final int resourceId;
    final int tag;
    final int tagMap;
    final String[] tagMapKeys;
    final int usageStart;
    final int usageEnd;
    final int cost;
    final int billingPeriodStart;
    /** The line item type (CUR, CUR 2.0) or charge category (FOCUS) that says whether a row is usage. */
    final int chargeType;
    /** The {@link #chargeType} values of usage rows (§3 rule 5); DBR rows are never usage. */
    final String[] usageTypes;
    /** FOCUS {@code ProviderName}: whose charge a row is, for the totals per provider. */
    final int provider;
    /** FOCUS writes nulls as the text {@code NULL}: such a cell is empty (§1). */
    final boolean nullCells;
    /** The amortized amount of each row (§8), or null under the unblended basis. */
    final AmortizedCost amortized;
    private final int[] amortizedColumns;
    /** Split cost allocation data (§9), or null when the bill has none. */
    final SplitColumns split;

    /** Whether the fast reader reads a column's bytes as they lie (so an escaped value there needs the slow way). */
    boolean readsBytes(int column) {
        return column == recordType || column == product || column == cost || column == usageStart
                || column == usageEnd || column == tag || column == invoiceId || column == resourceId
                || column == productMap || column == billingPeriodStart || column == provider
                || (column == chargeType && readsChargeTypeOfEveryRow())
                || readsForAmortizedCost(column) || (split != null && split.readsBytes(column));
    }

    private boolean readsForAmortizedCost(int column) {
        for (int c : amortizedColumns) {
            if (c == column) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the fast reader needs the charge type of most rows: only rows without a resource ask whether
     * they are usage (rule 5), and where the bill has a resource column those are few, so their type is
     * read only for them.
     */
    boolean readsChargeTypeOfEveryRow() {
        return resourceId == ABSENT || (amortized != null && amortized.readsType());
    }

    /** The columns the fast reader looks at in every row (others are read only for unusual rows). */
    int[] columns() {
        IntStream own = IntStream.of(invoiceId, recordType, product, productMap, resourceId, tag, tagMap,
                usageStart, usageEnd, cost, billingPeriodStart, readsChargeTypeOfEveryRow() ? chargeType : ABSENT,
                provider);
        IntStream extra = IntStream.concat(IntStream.of(amortizedColumns),
                split == null ? IntStream.empty() : IntStream.of(split.columns()));
        return IntStream.concat(own, extra).filter(c -> c != ABSENT).distinct().toArray();
    }

    /**
     * Every column a row is ever read from, by either engine or the shared scan (for a columnar bill, the
     * projection: what is not here is never decoded).
     */
    int[] allColumns() {
        return IntStream.concat(IntStream.of(columns()), IntStream.of(chargeType)).filter(c -> c != ABSENT)
                .distinct().sorted().toArray();
    }

    private BillLayout(BillFormat format, int fieldCount, Columns c, ReadSettings settings) {
        String tagKey = settings.tagKey();
        this.format = format;
        this.fieldCount = fieldCount;
        // Only the cost and product columns (and DBR's RecordType) are required: resource ids are an opt-in
        // of a CUR, FOCUS 1.0 has no InvoiceId, and so on (§1 "Real bills vary").
        switch (format) {
            case DBR -> {
                invoiceId = c.optional("InvoiceID");
                recordType = c.required("RecordType");
                product = c.required("ProductName");
                productMap = ABSENT;
                resourceId = c.optional("ResourceId");
                tag = c.optional("user:" + tagKey);
                tagMap = ABSENT;
                tagMapKeys = new String[0];
                usageStart = c.optional("UsageStartDate");
                usageEnd = c.optional("UsageEndDate");
                cost = c.required("UnBlendedCost");
                billingPeriodStart = ABSENT;
                chargeType = ABSENT;
                provider = ABSENT;
            }
            case CUR -> {
                invoiceId = c.optional("bill/InvoiceId");
                recordType = ABSENT;
                product = c.required("product/ProductName");
                productMap = ABSENT;
                resourceId = c.optional("lineItem/ResourceId");
                tag = c.optional("resourceTags/user:" + tagKey);
                tagMap = ABSENT;
                tagMapKeys = new String[0];
                usageStart = c.optional("lineItem/UsageStartDate");
                usageEnd = c.optional("lineItem/UsageEndDate");
                cost = c.required("lineItem/UnblendedCost");
                billingPeriodStart = c.optional("bill/BillingPeriodStartDate");
                chargeType = c.optional("lineItem/LineItemType");
                provider = ABSENT;
            }
            case CUR2 -> {
                invoiceId = c.optional("bill_invoice_id");
                recordType = ABSENT;
                int flatProduct = c.firstOf("product_product_name", "product['product_name']");
                product = flatProduct;
                productMap = flatProduct == ABSENT ? c.optional("product") : ABSENT;
                if (product == ABSENT && productMap == ABSENT) {
                    throw c.missing("product_product_name");
                }
                resourceId = c.optional("line_item_resource_id");
                tag = c.optional("resource_tags_user_" + tagKey);
                tagMap = c.optional("resource_tags");
                tagMapKeys = new String[] {"user_" + tagKey};
                usageStart = c.optional("line_item_usage_start_date");
                usageEnd = c.optional("line_item_usage_end_date");
                cost = c.required("line_item_unblended_cost");
                billingPeriodStart = c.optional("bill_billing_period_start_date");
                chargeType = c.optional("line_item_line_item_type");
                provider = ABSENT;
            }
            case FOCUS -> {
                invoiceId = c.optional("InvoiceId");
                recordType = ABSENT;
                product = c.required("ServiceName");
                productMap = ABSENT;
                resourceId = c.optional("ResourceId");
                tag = ABSENT;
                tagMap = c.optional("Tags");
                tagMapKeys = new String[] {"user:" + tagKey, tagKey};
                usageStart = c.optional("ChargePeriodStart");
                usageEnd = c.optional("ChargePeriodEnd");
                cost = c.required("BilledCost");
                billingPeriodStart = c.optional("BillingPeriodStart");
                chargeType = c.required("ChargeCategory");
                provider = c.firstOf("ProviderName", "ServiceProviderName", "Provider"); // 1.x, 1.3, 0.5
            }
            default -> throw new IllegalStateException(format.name());
        }
        nullCells = format == BillFormat.FOCUS;
        amortized = AmortizedCost.of(settings.basis(), format, chargeType, c);
        amortizedColumns = amortized == null ? new int[0] : amortized.columns();
        split = SplitColumns.of(format, c, tagMap);
        usageTypes = switch (format) {
            case CUR, CUR2 -> new String[] {"Usage", "DiscountedUsage", "SavingsPlanCoveredUsage"};
            case FOCUS -> new String[] {"Usage"};
            default -> new String[0];
        };
    }

    /** Whether a row of this type is usage (rule 5 applies only to rows that are not). */
    boolean isUsage(String type) {
        for (String usage : usageTypes) {
            if (usage.equals(type)) {
                return true;
            }
        }
        return false;
    }

    /** The text FOCUS writes for a null cell. */
    static final String NULL = "NULL";

    /** A row's fields as the contract reads them: in FOCUS, a cell of exactly {@code NULL} is empty. */
    Fields cells(Fields raw) {
        if (!nullCells) {
            return raw;
        }
        return index -> {
            String value = raw.get(index);
            return value.length() >= NULL.length() && value.trim().equals(NULL) ? "" : value;
        };
    }

    /**
     * Recognises the format from the header row.
     *
     * @throws BillFileException if the header matches no format or lacks a column the format needs
     */
    static BillLayout detect(String part, List<String> header, String tagKey) {
        return detect(part, header, ReadSettings.unblended(tagKey));
    }

    /** {@link #detect(String, List, String)} for a cost basis. */
    static BillLayout detect(String part, List<String> header, ReadSettings settings) {
        Columns columns = new Columns(part, header);
        BillFormat format;
        if (columns.has("line_item_unblended_cost")) {
            format = BillFormat.CUR2;
        } else if (columns.has("lineItem/UnblendedCost")) {
            format = BillFormat.CUR;
        } else if (columns.has("BilledCost") && columns.has("ChargeCategory")) {
            format = BillFormat.FOCUS;
        } else if (columns.has("RecordType") && columns.has("UnBlendedCost")) {
            format = BillFormat.DBR;
        } else {
            throw new BillFileException(part, "not a recognised bill: the header has none of the DBR, CUR, "
                    + "CUR 2.0 or FOCUS cost columns (UnBlendedCost with RecordType, lineItem/UnblendedCost, "
                    + "line_item_unblended_cost, BilledCost with ChargeCategory)");
        }
        return new BillLayout(format, header.size(), columns, settings);
    }

    /** Product name of a row; for CUR 2.0 without a flat product column, read from the {@code product} map. */
    String product(Fields row) throws MalformedRowException {
        if (product != ABSENT) {
            return row.get(product).trim();
        }
        String map = row.get(productMap);
        if (map.isBlank()) {
            return "";
        }
        return lookup(parseMap(map, "product"), "product_name");
    }

    /** Value of the product-area tag on a row, or empty. */
    String tag(Fields row) throws MalformedRowException {
        if (tag != ABSENT) {
            String value = row.get(tag).trim();
            if (!value.isEmpty()) {
                return value;
            }
        }
        if (tagMap == ABSENT) {
            return "";
        }
        String map = row.get(tagMap);
        if (map.isBlank() || !containsAny(map, tagMapKeys)) {
            return "";
        }
        JsonNode tags = parseMap(map, "tags");
        for (String key : tagMapKeys) {
            String value = lookup(tags, key);
            if (!value.isEmpty()) {
                return value;
            }
        }
        return "";
    }

    private static boolean containsAny(String text, String[] keys) {
        for (String key : keys) {
            if (text.contains(key)) {
                return true;
            }
        }
        return false;
    }

    static JsonNode parseMap(String text, String what) throws MalformedRowException {
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || !node.isObject()) {
                throw new MalformedRowException("unparseable " + what + " map (not a JSON object)");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedRowException("unparseable " + what + " map (invalid JSON)");
        }
    }

    static String lookup(JsonNode map, String key) {
        JsonNode value = map.get(key);
        return value == null || value.isNull() ? "" : value.asText().trim();
    }

    /** Header column lookup: exact name first, then ignoring case. */
    private static final class Columns implements AmortizedCost.Columns {
        private final String part;
        private final Map<String, Integer> exact = new HashMap<>();
        private final Map<String, Integer> folded = new HashMap<>();

        Columns(String part, List<String> header) {
            this.part = part;
            for (int i = 0; i < header.size(); i++) {
                String name = header.get(i).trim();
                exact.putIfAbsent(name, i);
                folded.putIfAbsent(name.toLowerCase(Locale.ROOT), i);
            }
        }

        /** The first of the names the header has, or {@link #ABSENT}. */
        int firstOf(String... names) {
            for (String name : names) {
                int index = optional(name);
                if (index != ABSENT) {
                    return index;
                }
            }
            return ABSENT;
        }

        boolean has(String name) {
            return optional(name) != ABSENT;
        }

        @Override
        public int optional(String name) {
            Integer index = exact.get(name);
            if (index == null) {
                index = folded.get(name.toLowerCase(Locale.ROOT));
            }
            return index == null ? ABSENT : index;
        }

        @Override
        public int required(String name) {
            int index = optional(name);
            if (index == ABSENT) {
                throw missing(name);
            }
            return index;
        }

        BillFileException missing(String name) {
            return new BillFileException(part, "bill header lacks the column " + name);
        }
    }

    /** Read access to one row's fields by index. */
    interface Fields {
        String get(int index);
    }
}
