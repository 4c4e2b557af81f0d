package dev.tally.testkit;

import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * FOCUS 1.x as AWS exports it: {@code BilledCost}, {@code ChargeCategory}, {@code Tags} JSON with {@code user:<key>}.
 * With {@code commitments}: the {@code CommitmentDiscount*} columns, and {@code EffectiveCost} is the row's amortized
 * amount ({@link AmortizedAmount}: the reservation's or savings plan's effective cost of covered usage, the unused
 * part of a recurring fee, 0 for an upfront purchase); otherwise it is the billed cost.
 */
final class FocusWriter extends BillWriter {
    private static final List<String> COMMITMENT_COLUMNS = List.of("CommitmentDiscountCategory",
            "CommitmentDiscountId", "CommitmentDiscountName", "CommitmentDiscountStatus", "CommitmentDiscountType");

    private final String periodStart;
    private final String periodEnd;
    private final boolean commitments;

    FocusWriter(Writer out, Times times, String tagKey, Model.Account payer, SplittableRandom ids,
                boolean commitments) {
        super(out, times, tagKey, payer, ids, false, columns(commitments), "BilledCost", "ChargePeriodStart",
                "ResourceId");
        periodStart = times.format(times.start, Times.Style.ISO);
        periodEnd = times.format(times.end, Times.Style.ISO);
        this.commitments = commitments;
    }

    static List<String> columns(boolean commitments) {
        List<String> c = new ArrayList<>(columns());
        if (commitments) {
            c.addAll(c.indexOf("ChargePeriodStart") + 1, COMMITMENT_COLUMNS);
        }
        return c;
    }

    private static List<String> columns() {
        return List.of("AvailabilityZone", "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency",
                "BillingPeriodEnd", "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription",
                "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart", "ConsumedQuantity", "ConsumedUnit",
                "ContractedCost", "EffectiveCost", "InvoiceId", "InvoiceIssuerName", "ListCost", "ListUnitPrice",
                "PricingCategory", "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "RegionId",
                "RegionName", "ResourceId", "ResourceName", "ResourceType", "ServiceCategory", "ServiceName", "SkuId",
                "SubAccountId", "SubAccountName", "Tags", "x_Operation", "x_ServiceCode", "x_UsageType");
    }

    @Override
    protected void fill(BillRow r) {
        boolean usage = "Usage".equals(r.chargeCategory);
        int i = 0;
        f[i++] = r.az;
        f[i++] = Amounts.stripped(r.cost);
        f[i++] = payer.id;
        f[i++] = payer.name;
        f[i++] = "USD";
        f[i++] = period(r, periodEnd, false, Times.Style.ISO);
        f[i++] = period(r, periodStart, true, Times.Style.ISO);
        f[i++] = r.chargeCategory;
        f[i++] = "";
        f[i++] = r.description;
        f[i++] = r.chargeFrequency;
        f[i++] = times.format(r.end, Times.Style.ISO);
        f[i++] = times.format(r.start, Times.Style.ISO);
        if (commitments) {
            i = commitment(r, i);
        }
        f[i++] = usage ? Amounts.plainStripped(r.quantity) : "";
        f[i++] = usage ? r.unit : "";
        f[i++] = Amounts.stripped(r.cost);
        f[i++] = Amounts.stripped(commitments ? AmortizedAmount.of(BillFormat.FOCUS, r, r.cost) : r.cost);
        f[i++] = r.invoiceId;
        f[i++] = "AWS Marketplace".equals(r.billingEntity) ? "AWS Marketplace" : "Amazon Web Services, Inc.";
        f[i++] = Amounts.stripped(Amounts.cost(r.listRate, r.quantity));
        f[i++] = Amounts.plainStripped(r.listRate);
        f[i++] = r.reserved || r.commitment.any() && usage ? "Committed" : usage ? "Standard" : "";
        f[i++] = Amounts.plainStripped(r.quantity);
        f[i++] = r.unit;
        f[i++] = "AWS";
        f[i++] = "AWS Marketplace".equals(r.billingEntity) ? "Acme Inc." : "Amazon Web Services";
        f[i++] = r.product.isEmpty() ? "" : Catalog.REGION;
        f[i++] = r.product.isEmpty() ? "" : "US East (N. Virginia)";
        f[i++] = r.resourceId;
        f[i++] = r.nameTag == null ? "" : r.nameTag;
        f[i++] = r.resourceType;
        f[i++] = r.product.isEmpty() ? "" : Catalog.serviceCategory(r.product);
        f[i++] = r.product;
        f[i++] = r.usageType.isEmpty() ? "" : Integer.toHexString(r.usageType.hashCode() | 0x10000000).toUpperCase(Locale.ROOT);
        f[i++] = r.account.id;
        f[i++] = r.account.name;
        f[i++] = tagsJson(r, "user:", "Name");
        f[i++] = r.operation;
        f[i++] = r.productCode;
        f[i] = r.usageType;
    }

    /** The {@code CommitmentDiscount*} cells: category, id, name, status (of usage), type. */
    private int commitment(BillRow r, int i) {
        CommitmentCells c = r.commitment;
        boolean reservation = !c.reservationArn.isEmpty();
        if (!c.any()) {
            return i + COMMITMENT_COLUMNS.size();
        }
        f[i++] = reservation ? "Usage" : "Spend";
        f[i++] = reservation ? c.reservationArn : c.savingsPlanArn;
        f[i++] = c.name == null ? "" : c.name;
        f[i++] = "Usage".equals(r.chargeCategory) ? "Used" : "";
        f[i++] = reservation ? "Reserved Instance" : "Savings Plan";
        return i;
    }
}
