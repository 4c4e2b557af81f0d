package dev.tally.testkit;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Detailed Billing Report with resources and tags: every field quoted, dates {@code 2017-02-01 00:00:00}. */
final class DbrWriter extends BillWriter {
    private final String recordBase;
    private long recordSeq;

    DbrWriter(Writer out, Times times, String tagKey, Model.Account payer, SplittableRandom ids) {
        super(out, times, tagKey, payer, ids, true, columns(tagKey), "UnBlendedCost", "UsageStartDate", "ResourceId");
        this.recordBase = Ids.digits(ids, 11);
    }

    static List<String> columns(String tagKey) {
        List<String> c = new ArrayList<>(List.of("InvoiceID", "PayerAccountId", "LinkedAccountId", "RecordType",
                "RecordId", "ProductName", "RateId", "SubscriptionId", "PricingPlanId", "UsageType", "Operation",
                "AvailabilityZone", "ReservedInstance", "ItemDescription", "UsageStartDate", "UsageEndDate",
                "UsageQuantity", "BlendedRate", "BlendedCost", "UnBlendedRate", "UnBlendedCost", "ResourceId"));
        c.add("user:" + tagKey);
        if (!tagKey.equalsIgnoreCase("Name")) {
            c.add("user:Name");
        }
        return c;
    }

    private String nextRecordId() {
        String n = Long.toString(++recordSeq);
        return recordBase + "0000000000".substring(n.length()) + n;
    }

    private static String rate(BigDecimal r) {
        return r.setScale(Amounts.SCALE, RoundingMode.UNNECESSARY).toPlainString();
    }

    @Override
    protected void fill(BillRow r) {
        f[0] = r.invoiceId;
        f[1] = payer.id;
        f[2] = r.account.id;
        f[3] = "LineItem";
        f[4] = nextRecordId();
        f[5] = r.product;
        f[6] = r.usageType.isEmpty() ? "" : Integer.toString(10_000_000 + Math.floorMod(r.usageType.hashCode(), 89_999_999));
        f[7] = r.account.subscriptionId;
        f[8] = r.account.pricingPlanId;
        f[9] = r.usageType;
        f[10] = r.operation;
        f[11] = r.az;
        f[12] = r.reserved ? "Y" : "N";
        f[13] = r.description;
        f[14] = times.format(r.start, Times.Style.DBR);
        f[15] = r.monthly ? times.format(r.end - Times.SECOND, Times.Style.DBR) : times.format(r.end, Times.Style.DBR);
        f[16] = Amounts.plain(r.quantity);
        f[17] = rate(r.blendedRate);
        f[18] = Amounts.fixed(r.blendedCost);
        f[19] = rate(r.rate);
        f[20] = Amounts.fixed(r.cost);
        f[21] = r.resourceId;
        f[22] = tagValue(r);
        if (f.length > 23) {
            f[23] = nameValue(r);
        }
    }

    /** InvoiceTotal, AccountTotal, StatementTotal, Rounding: no product name, not line items. */
    void writeTotal(String recordType, Model.Account linked, String invoiceId, String description, long units)
            throws IOException {
        Arrays.fill(f, "");
        f[0] = invoiceId;
        f[1] = payer.id;
        f[2] = linked == null ? "" : linked.id;
        f[3] = recordType;
        f[13] = description;
        f[18] = Amounts.cents(units);
        f[20] = Amounts.cents(units);
        writeFields(width());
    }
}
