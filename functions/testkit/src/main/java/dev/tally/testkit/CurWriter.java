package dev.tally.testkit;

import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Cost and Usage Report (legacy): {@code lineItem/...} columns, ISO dates {@code 2017-02-01T00:00:00Z}. */
final class CurWriter extends BillWriter {
    private final String periodStart;
    private final String periodEnd;
    private final boolean commitments;
    private final boolean split;

    /** The split line item columns ({@code split-cost-allocation}), as AWS names them. */
    static final List<String> SPLIT_COLUMNS = List.of("splitLineItem/ActualUsage", "splitLineItem/ParentResourceId",
            "splitLineItem/PublicOnDemandSplitCost", "splitLineItem/PublicOnDemandUnusedCost",
            "splitLineItem/ReservedUsage", "splitLineItem/SplitCost", "splitLineItem/SplitUsage",
            "splitLineItem/SplitUsageRatio", "splitLineItem/UnusedCost");
    /** The ECS-managed tags of split line items. */
    static final List<String> ECS_TAG_COLUMNS = List.of("resourceTags/aws:ecs:clusterName",
            "resourceTags/aws:ecs:serviceName");

    /**
     * @param commitments with the {@code reservation/} and {@code savingsPlan/} columns
     * @param split       with the {@code splitLineItem/} columns and the ECS-managed tag columns
     */
    CurWriter(Writer out, Times times, String tagKey, Model.Account payer, SplittableRandom ids, boolean commitments,
              boolean split) {
        super(out, times, tagKey, payer, ids, false, columns(tagKey, commitments, split), "lineItem/UnblendedCost",
                "lineItem/UsageStartDate", "lineItem/ResourceId");
        this.commitments = commitments;
        this.split = split;
        periodStart = times.format(times.start, Times.Style.ISO);
        periodEnd = times.format(times.end, Times.Style.ISO);
    }

    static List<String> columns(String tagKey, boolean commitments, boolean split) {
        List<String> c = new ArrayList<>(List.of("identity/LineItemId", "identity/TimeInterval", "bill/InvoiceId",
                "bill/BillingEntity", "bill/BillType", "bill/PayerAccountId", "bill/BillingPeriodStartDate",
                "bill/BillingPeriodEndDate", "lineItem/UsageAccountId", "lineItem/LineItemType",
                "lineItem/UsageStartDate", "lineItem/UsageEndDate", "lineItem/ProductCode", "lineItem/UsageType",
                "lineItem/Operation", "lineItem/AvailabilityZone", "lineItem/ResourceId", "lineItem/UsageAmount",
                "lineItem/CurrencyCode", "lineItem/UnblendedRate", "lineItem/UnblendedCost", "lineItem/BlendedRate",
                "lineItem/BlendedCost", "lineItem/LineItemDescription", "product/ProductName", "product/region",
                "pricing/unit"));
        if (commitments) {
            c.addAll(CommitmentCells.Column.names(false, true));
            c.addAll(CommitmentCells.Column.names(false, false));
        }
        if (split) {
            c.addAll(SPLIT_COLUMNS);
            c.addAll(ECS_TAG_COLUMNS);
        }
        if (!tagKey.equalsIgnoreCase("Name")) {
            c.add("resourceTags/user:Name");
        }
        c.add("resourceTags/user:" + tagKey);
        return c;
    }

    @Override
    protected void fill(BillRow r) {
        String start = times.format(r.start, Times.Style.ISO);
        String end = times.format(r.end, Times.Style.ISO);
        int i = 0;
        f[i++] = Ids.lineItemId(ids);
        f[i++] = start + "/" + end;
        f[i++] = r.invoiceId;
        f[i++] = r.billingEntity;
        f[i++] = "Anniversary";
        f[i++] = payer.id;
        f[i++] = period(r, periodStart, true, Times.Style.ISO);
        f[i++] = period(r, periodEnd, false, Times.Style.ISO);
        f[i++] = r.account.id;
        f[i++] = r.lineItemType;
        f[i++] = start;
        f[i++] = end;
        f[i++] = r.productCode;
        f[i++] = r.usageType;
        f[i++] = r.operation;
        f[i++] = r.az;
        f[i++] = r.resourceId;
        f[i++] = Amounts.plain(r.quantity);
        f[i++] = "USD";
        f[i++] = Amounts.plain(r.rate);
        f[i++] = Amounts.fixed(r.cost);
        f[i++] = Amounts.plain(r.blendedRate);
        f[i++] = Amounts.fixed(r.blendedCost);
        f[i++] = r.description;
        f[i++] = r.product;
        f[i++] = r.product.isEmpty() ? "" : Catalog.REGION;
        f[i++] = r.unit;
        if (commitments) {
            i = r.commitment.fill(f, r.commitment.fill(f, i, true, false), false, false);
        }
        if (split) {
            if (r.parentResourceId != null) {
                f[i] = Amounts.plain(r.actualUsage);
                f[i + 1] = r.parentResourceId;
                f[i + 2] = Amounts.fixed(r.publicOnDemandSplitCost);
                f[i + 3] = Amounts.fixed(r.publicOnDemandUnusedCost);
                f[i + 4] = Amounts.plain(r.reservedUsage);
                f[i + 5] = Amounts.fixed(r.splitCost);
                f[i + 6] = Amounts.plain(r.splitUsage);
                f[i + 7] = Amounts.plain(r.splitUsageRatio);
                f[i + 8] = Amounts.fixed(r.unusedCost);
            }
            i += SPLIT_COLUMNS.size();
            f[i++] = r.ecsCluster == null ? "" : r.ecsCluster;
            f[i++] = r.ecsService == null ? "" : r.ecsService;
        }
        if (separateNameTag()) {
            f[i++] = nameValue(r);
        }
        f[i] = tagValue(r);
    }
}
