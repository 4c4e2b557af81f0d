package dev.tally.testkit;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.SplittableRandom;

import static dev.tally.testkit.Times.DAY;
import static dev.tally.testkit.Times.HOUR;

/**
 * The hour's usage rows: EC2 instance-hours (on demand or reserved) and daily data transfer, EBS volume storage
 * (hourly or daily), Fargate vCPU and memory per running task, and the other resources (hourly or daily).
 */
final class UsageRows {
    private final long start;
    private final long end;
    private final List<Model.Instance> instances;
    private final List<Model.Volume> volumes;
    private final List<Model.Other> others;
    private final String invoiceMain;
    private final TaskLifecycle tasks;
    private final BillLedger ledger;
    private final BillRow row;
    private final SplittableRandom rowRng;
    /** {@code commitments}, or null. */
    private final Commitments commitments;
    /** {@code split-cost-allocation}, or null. */
    private final SplitCostAllocation split;

    /** After planning: the month's invoice ids are known. */
    UsageRows(Month month, TaskLifecycle tasks, BillLedger ledger, SplittableRandom rowRng, Commitments commitments,
              SplitCostAllocation split) {
        this.split = split;
        this.start = month.start;
        this.end = month.end;
        this.instances = month.instances;
        this.volumes = month.volumes;
        this.others = month.others;
        this.invoiceMain = month.invoiceMain;
        this.tasks = tasks;
        this.ledger = ledger;
        this.row = ledger.row;
        this.rowRng = rowRng;
        this.commitments = commitments;
    }

    private BigDecimal hoursQty(long overlapMs) {
        return overlapMs == HOUR ? BigDecimal.ONE.setScale(Amounts.SCALE)
                : BigDecimal.valueOf(overlapMs).divide(BigDecimal.valueOf(HOUR), Amounts.SCALE, RoundingMode.HALF_EVEN);
    }

    void hourRows(int h, long hs, long he) throws IOException {
        boolean dayStart = h % 24 == 0;
        long de = hs + DAY;
        if (commitments != null) {
            commitments.startHour(h, hs);
        }
        for (Model.Instance i : instances) {
            long from = Math.max(hs, i.launch);
            long to = Math.min(he, i.terminate);
            if (to > from) {
                instanceRow(i, h, hs, he, from, to);
            }
            if (split != null) {
                split.flushSome();
            }
            if (dayStart && i.dataTransfer && Math.min(de, i.terminate) > Math.max(hs, i.launch)) {
                BigDecimal gb = BigDecimal.valueOf(1 + rowRng.nextInt(20_000_000), 6);
                row.usage("instance_data_transfer", i.account, Catalog.EC2, "DataTransfer-Regional-Bytes",
                        "InterZone-Out", i.az, "$0.010 per GB - regional data transfer - in/out/between EC2 AZs or "
                                + "using elastic IPs or ELB", hs, de, gb, Catalog.DATA_TRANSFER_GB, "GB", i.id,
                        "Instance", instanceTag(i, hs), i.nameTag);
                row.invoiceId = invoiceMain;
                ledger.cost(row);
            }
        }
        long monthMs = end - start;
        for (Model.Volume v : volumes) {
            if (v.daily && !dayStart) {
                continue;
            }
            long ws = hs;
            long we = v.daily ? de : he;
            long from = Math.max(ws, v.created);
            long to = Math.min(we, v.deleted);
            if (to <= from) {
                continue;
            }
            BigDecimal gbMonths = BigDecimal.valueOf((long) v.sizeGb * (to - from))
                    .divide(BigDecimal.valueOf(monthMs), Amounts.SCALE, RoundingMode.HALF_EVEN);
            row.usage("volume", v.account, Catalog.EC2, v.type.usageType(), v.type.operation(), v.az,
                    "$" + v.type.ratePerGbMonth().toPlainString() + " per GB-month of " + v.type.label()
                            + " - US East (Northern Virginia)", ws, we, gbMonths, v.type.ratePerGbMonth(), "GB-Mo",
                    v.id, "Volume", v.tag, v.nameTag);
            row.invoiceId = invoiceMain;
            ledger.cost(row);
        }
        if (split != null) {
            split.flushSome();
        }
        for (Model.Task t : tasks.fargateActive()) {
            long from = Math.max(hs, t.started);
            long to = t.stopped >= 0 ? Math.min(he, t.stopped) : he;
            if (to <= from) {
                continue;
            }
            Model.Service s = t.service;
            BigDecimal hrs = BigDecimal.valueOf(to - from).divide(BigDecimal.valueOf(HOUR), Amounts.SCALE,
                    RoundingMode.HALF_EVEN);
            BigDecimal vcpu = hrs.multiply(BigDecimal.valueOf(s.cpu, 0)).divide(BigDecimal.valueOf(1024),
                    Amounts.SCALE, RoundingMode.HALF_EVEN);
            BigDecimal gb = hrs.multiply(BigDecimal.valueOf(s.memory, 0)).divide(BigDecimal.valueOf(1024),
                    Amounts.SCALE, RoundingMode.HALF_EVEN);
            row.usage("fargate", s.cluster.account, Catalog.ECS, "USE1-Fargate-vCPU-Hours:perCPU", "FargateTask", t.az,
                    "AWS Fargate - vCPU - US East (N.Virginia)", hs, he, vcpu, Catalog.FARGATE_VCPU_HOUR, "hours",
                    t.arn, "Task", null, null);
            row.invoiceId = invoiceMain;
            ledger.cost(row);
            row.usage("fargate", s.cluster.account, Catalog.ECS, "USE1-Fargate-GB-Hours", "FargateTask", t.az,
                    "AWS Fargate - Memory - US East (N.Virginia)", hs, he, gb, Catalog.FARGATE_GB_HOUR, "GB-Hours",
                    t.arn, "Task", null, null);
            row.invoiceId = invoiceMain;
            ledger.cost(row);
        }
        tasks.fargateActive().removeIf(t -> t.stopped >= 0 && t.stopped <= he);
        for (Model.Other o : others) {
            if (o.kind.daily && !dayStart) {
                continue;
            }
            BigDecimal qty;
            long we = o.kind.daily ? de : he;
            switch (o.kind) {
                case S3_STORAGE:
                    qty = BigDecimal.valueOf((long) o.scale * DAY).divide(BigDecimal.valueOf(monthMs), Amounts.SCALE,
                            RoundingMode.HALF_EVEN);
                    break;
                case S3_REQUESTS:
                    qty = BigDecimal.valueOf(Math.max(1, Math.round(o.scale * (0.3 + 1.4 * rowRng.nextDouble()))));
                    break;
                case DYNAMO_TABLE:
                    qty = BigDecimal.valueOf((long) o.scale);
                    break;
                case LOG_GROUP:
                case DISTRIBUTION:
                    qty = BigDecimal.valueOf(Math.max(1, Math.round(o.scale * (0.3 + 1.4 * rowRng.nextDouble()) * 1e6)), 6);
                    break;
                case LAMBDA_FUNCTION:
                    qty = BigDecimal.valueOf(Math.max(1, Math.round(o.scale * (0.3 + 1.4 * rowRng.nextDouble()) * 1e3)), 3);
                    break;
                default:
                    qty = BigDecimal.ONE;
            }
            row.usage(o.tag == null ? "untagged_other" : "tagged_other", o.account, o.kind.product, o.kind.usageType,
                    o.kind.operation, o.kind == Catalog.OtherKind.LAMBDA_FUNCTION ? "" : o.az, o.kind.description, hs, we,
                    qty, o.kind.rate, o.kind.unit, o.resourceId, "", o.tag, o.nameTag);
            row.invoiceId = invoiceMain;
            ledger.cost(row);
        }
        if (split != null) {
            split.flushAll();
        }
    }

    private String instanceTag(Model.Instance i, long hs) {
        return i.tag != null && hs >= i.tagFrom ? i.tag : null;
    }

    /**
     * An instance-hour in {@code [from, to)} (the hour, clipped to the instance's life): reserved (by the instance's
     * flag, or with {@code commitments} by a reservation) or not; with {@code split-cost-allocation} also its tasks'
     * split line items, of the amount a reader gets for the row (with {@code commitments}: its amortized amount).
     */
    private void instanceRow(Model.Instance i, int h, long hs, long he, long from, long to) throws IOException {
        long overlap = to - from;
        BigDecimal qty = hoursQty(overlap);
        boolean reserved = commitments == null ? i.reserved : commitments.reserve(i, h, qty);
        BigDecimal rate = reserved ? BigDecimal.ZERO.setScale(Amounts.SCALE) : i.type.rate();
        row.usage("instance", i.account, Catalog.EC2, "BoxUsage:" + i.type.name(), "RunInstances", i.az,
                reserved ? "USD 0.0 hourly fee per Linux/UNIX (Amazon VPC), " + i.type.name() + " instance"
                        : "$" + i.type.rate().stripTrailingZeros().toPlainString() + " per On Demand Linux "
                        + i.type.name() + " Instance Hour", hs, he, qty, rate, "Hrs", i.id, "Instance",
                instanceTag(i, hs), i.nameTag).blended(i.blendedRate);
        if (reserved) {
            row.reserved = true;
            row.lineItemType = "DiscountedUsage";
        }
        row.invoiceId = invoiceMain;
        if (split != null && i.hosted != null) {
            boolean negated = commitments != null && commitments.prepare(row, i, h);
            long booked = ledger.prebook(row);
            long cost = commitments == null ? booked : ledger.amortized(row, booked);
            split.instanceHour(i, from, to, qty, cost, Amounts.cost(i.type.rate(), qty));
            if (commitments == null) {
                ledger.cost(row);
            } else {
                commitments.finish(row, negated);
            }
        } else if (commitments == null) {
            ledger.cost(row);
        } else {
            commitments.write(row, i, h);
        }
    }
}
