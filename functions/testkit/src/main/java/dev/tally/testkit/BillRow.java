package dev.tally.testkit;

import java.math.BigDecimal;

/** One bill row before it is laid out in a format. Mutable and reused. */
final class BillRow {
    /**
     * CUR lineItem/LineItemType: Usage, DiscountedUsage, RIFee, SavingsPlanRecurringFee, Fee, Tax, Credit, Refund;
     * with {@code commitments} also SavingsPlanCoveredUsage, SavingsPlanNegation, SavingsPlanUpfrontFee.
     */
    String lineItemType;
    /** FOCUS ChargeCategory: Usage, Purchase, Tax, Credit, Adjustment. */
    String chargeCategory;
    /** FOCUS ChargeFrequency: Usage-Based, Recurring, One-Time. */
    String chargeFrequency;
    Model.Account account;
    String product;
    String productCode;
    String usageType;
    String operation;
    String az;
    String description;
    long start;
    long end;
    /** A whole-month window (DBR writes its end as the last second of the month). */
    boolean monthly;
    BigDecimal quantity;
    BigDecimal rate;
    long cost;
    BigDecimal blendedRate;
    long blendedCost;
    BigDecimal listRate;
    String unit;
    String resourceId;
    String resourceType;
    String tag;
    String nameTag;
    boolean reserved;
    String invoiceId;
    String billingEntity;
    /** Generator row kind (manifest cost_by_kind). */
    String kind;
    /** The cost column's text when it is not {@code cost} laid out as usual (extra decimal places), else null. */
    String costText;
    /** The billing period the row belongs to when it is not the bill's own (a stray row), else null. */
    Times otherPeriod;
    /** Its reservation or savings plan and their amortization ({@code commitments}); cleared with every row. */
    final CommitmentCells commitment = new CommitmentCells();
    /**
     * {@code split-cost-allocation}: the parent EC2 instance of a split line item, null on every other row (then the
     * other split cells are not written).
     */
    String parentResourceId;
    /** A split line item's vCPU or memory usage (vCPU-hours or GB-hours): reserved, actually used, allocated. */
    BigDecimal reservedUsage;
    BigDecimal actualUsage;
    BigDecimal splitUsage;
    /** Its allocated usage over what the instance has in the window. */
    BigDecimal splitUsageRatio;
    /** Units: its part of the instance's cost, of the unused capacity's; the same at public on-demand rates. */
    long splitCost;
    long unusedCost;
    long publicOnDemandSplitCost;
    long publicOnDemandUnusedCost;
    /** The ECS-managed tags {@code aws:ecs:clusterName}, {@code aws:ecs:serviceName}, or null. */
    String ecsCluster;
    String ecsService;
    /** {@link BillLedger#prebook}: the amount booked for this row before it is written. */
    boolean prebooked;
    long booked;

    BillRow usage(String kind, Model.Account account, String product, String usageType, String operation, String az,
                  String description, long start, long end, BigDecimal quantity, BigDecimal rate, String unit,
                  String resourceId, String resourceType, String tag, String nameTag) {
        this.kind = kind;
        this.lineItemType = "Usage";
        this.chargeCategory = "Usage";
        this.chargeFrequency = "Usage-Based";
        this.account = account;
        this.product = product;
        this.productCode = Catalog.productCode(product);
        this.usageType = usageType;
        this.operation = operation;
        this.az = az;
        this.description = description;
        this.start = start;
        this.end = end;
        this.monthly = false;
        this.quantity = quantity;
        this.rate = rate;
        this.cost = Amounts.cost(rate, quantity);
        this.blendedRate = rate;
        this.blendedCost = cost;
        this.listRate = rate;
        this.unit = unit;
        this.resourceId = resourceId;
        this.resourceType = resourceType;
        this.tag = tag;
        this.nameTag = nameTag;
        this.reserved = false;
        this.billingEntity = "AWS";
        this.costText = null;
        this.otherPeriod = null;
        this.commitment.clear();
        this.parentResourceId = null;
        this.ecsCluster = null;
        this.ecsService = null;
        this.prebooked = false;
        return this;
    }

    /** Blended rate differs from the unblended one (organisations blend RI rates); never used for allocation. */
    BillRow blended(BigDecimal rate) {
        this.blendedRate = rate;
        this.blendedCost = Amounts.cost(rate, quantity);
        return this;
    }

    /** A whole-month charge with no resource: fees, support, tax, credits. */
    BillRow charge(String kind, String lineItemType, String chargeCategory, String chargeFrequency,
                   Model.Account account, String product, String usageType, String operation, String description,
                   long start, long end, BigDecimal quantity, BigDecimal rate, long cost, String unit) {
        this.kind = kind;
        this.lineItemType = lineItemType;
        this.chargeCategory = chargeCategory;
        this.chargeFrequency = chargeFrequency;
        this.account = account;
        this.product = product;
        this.productCode = Catalog.productCode(product);
        this.usageType = usageType;
        this.operation = operation;
        this.az = "";
        this.description = description;
        this.start = start;
        this.end = end;
        this.monthly = true;
        this.quantity = quantity;
        this.rate = rate;
        this.cost = cost;
        this.blendedRate = rate;
        this.blendedCost = cost;
        this.listRate = rate;
        this.unit = unit;
        this.resourceId = "";
        this.resourceType = "";
        this.tag = null;
        this.nameTag = null;
        this.reserved = false;
        this.billingEntity = "AWS";
        this.costText = null;
        this.otherPeriod = null;
        this.commitment.clear();
        this.parentResourceId = null;
        this.ecsCluster = null;
        this.ecsService = null;
        this.prebooked = false;
        return this;
    }
}
