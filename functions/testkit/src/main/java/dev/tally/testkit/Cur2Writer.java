package dev.tally.testkit;

import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * CUR 2.0 (Data Exports, CSV): snake_case columns, timestamps {@code 2017-02-01T00:00:00.000Z}, amounts
 * without trailing zeros, tags in the {@code resource_tags} JSON map with keys {@code user_<key>}.
 */
final class Cur2Writer extends BillWriter {
    private final String periodStart;
    private final String periodEnd;
    private final boolean commitments;
    private final boolean split;

    /** The split line item columns ({@code split-cost-allocation}), as AWS names them in CUR 2.0. */
    static final List<String> SPLIT_COLUMNS = List.of("split_line_item_actual_usage",
            "split_line_item_parent_resource_id", "split_line_item_public_on_demand_split_cost",
            "split_line_item_public_on_demand_unused_cost", "split_line_item_reserved_usage",
            "split_line_item_split_cost", "split_line_item_split_usage", "split_line_item_split_usage_ratio",
            "split_line_item_unused_cost");

    /**
     * @param commitments with the {@code reservation_} and {@code savings_plan_} columns
     * @param split       with the {@code split_line_item_} columns (the ECS-managed tags go in {@code resource_tags})
     */
    Cur2Writer(Writer out, Times times, String tagKey, Model.Account payer, SplittableRandom ids, boolean commitments,
               boolean split) {
        super(out, times, tagKey, payer, ids, false, columns(commitments, split), "line_item_unblended_cost",
                "line_item_usage_start_date", "line_item_resource_id");
        this.commitments = commitments;
        this.split = split;
        periodStart = times.format(times.start, Times.Style.ISO_MS);
        periodEnd = times.format(times.end, Times.Style.ISO_MS);
    }

    /** With {@code commitments}: the reservation columns before {@code resource_tags}, the savings plan ones after. */
    static List<String> columns(boolean commitments, boolean split) {
        List<String> c = new ArrayList<>(List.of("identity_line_item_id", "identity_time_interval", "bill_invoice_id",
                "bill_invoicing_entity", "bill_billing_entity", "bill_bill_type", "bill_payer_account_id",
                "bill_payer_account_name", "bill_billing_period_start_date", "bill_billing_period_end_date",
                "line_item_usage_account_id", "line_item_usage_account_name", "line_item_line_item_type",
                "line_item_usage_start_date", "line_item_usage_end_date", "line_item_product_code",
                "line_item_usage_type", "line_item_operation", "line_item_availability_zone", "line_item_resource_id",
                "line_item_usage_amount", "line_item_currency_code", "line_item_unblended_rate",
                "line_item_unblended_cost", "line_item_blended_rate", "line_item_blended_cost",
                "line_item_line_item_description", "product_product_name", "product_region_code", "product_servicecode",
                "pricing_unit", "product", "resource_tags", "cost_category", "discount"));
        if (commitments) {
            int tags = c.indexOf("resource_tags");
            c.addAll(tags + 1, CommitmentCells.Column.names(true, false));
            c.addAll(tags, CommitmentCells.Column.names(true, true));
        }
        if (split) {
            c.addAll(SPLIT_COLUMNS);
        }
        return c;
    }

    @Override
    protected void fill(BillRow r) {
        String start = times.format(r.start, Times.Style.ISO_MS);
        String end = times.format(r.end, Times.Style.ISO_MS);
        int i = 0;
        f[i++] = Ids.lineItemId(ids);
        f[i++] = times.format(r.start, Times.Style.ISO) + "/" + times.format(r.end, Times.Style.ISO);
        f[i++] = r.invoiceId;
        f[i++] = "AWS".equals(r.billingEntity) ? "Amazon Web Services, Inc." : r.billingEntity;
        f[i++] = r.billingEntity;
        f[i++] = "Anniversary";
        f[i++] = payer.id;
        f[i++] = payer.name;
        f[i++] = period(r, periodStart, true, Times.Style.ISO_MS);
        f[i++] = period(r, periodEnd, false, Times.Style.ISO_MS);
        f[i++] = r.account.id;
        f[i++] = r.account.name;
        f[i++] = r.lineItemType;
        f[i++] = start;
        f[i++] = end;
        f[i++] = r.productCode;
        f[i++] = r.usageType;
        f[i++] = r.operation;
        f[i++] = r.az;
        f[i++] = r.resourceId;
        f[i++] = Amounts.plainStripped(r.quantity);
        f[i++] = "USD";
        f[i++] = Amounts.plainStripped(r.rate);
        f[i++] = Amounts.stripped(r.cost);
        f[i++] = Amounts.plainStripped(r.blendedRate);
        f[i++] = Amounts.stripped(r.blendedCost);
        f[i++] = r.description;
        f[i++] = r.product;
        f[i++] = r.product.isEmpty() ? "" : Catalog.REGION;
        f[i++] = r.productCode;
        f[i++] = r.unit;
        f[i++] = r.product.isEmpty() ? "{}" : "{\"product_name\":\"" + jsonEscape(r.product) + "\",\"region\":\""
                + Catalog.REGION + "\"}";
        if (commitments) {
            i = r.commitment.fill(f, i, true, true);
        }
        f[i++] = tagsJson(r, "user_", "name");
        if (commitments) {
            i = r.commitment.fill(f, i, false, true);
        }
        f[i++] = "{}";
        f[i++] = "{}";
        if (split && r.parentResourceId != null) {
            f[i] = Amounts.plainStripped(r.actualUsage);
            f[i + 1] = r.parentResourceId;
            f[i + 2] = Amounts.stripped(r.publicOnDemandSplitCost);
            f[i + 3] = Amounts.stripped(r.publicOnDemandUnusedCost);
            f[i + 4] = Amounts.plainStripped(r.reservedUsage);
            f[i + 5] = Amounts.stripped(r.splitCost);
            f[i + 6] = Amounts.plainStripped(r.splitUsage);
            f[i + 7] = Amounts.plainStripped(r.splitUsageRatio);
            f[i + 8] = Amounts.stripped(r.unusedCost);
        }
    }
}
