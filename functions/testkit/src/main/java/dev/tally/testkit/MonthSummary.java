package dev.tally.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the month's files say about it, written once the bill and the events are: {@code areas.json} (the services'
 * product areas, {@code "cluster/service"} keys first) and the {@link Manifest} (totals, counts, entities).
 */
final class MonthSummary {
    private final Month month;
    private final MonthSpec spec;
    private final List<Model.Cluster> clusters;
    private final List<Model.Service> services;
    private final List<Model.Instance> instances;
    private final List<Model.Volume> volumes;
    private final List<Model.Other> others;
    private final BillLedger ledger;
    private final TaskLifecycle tasks;
    /** {@code extra-decimals}, or null. */
    private final ExtraDecimals extraDecimals;
    private final StrayRows strayRows;
    /** {@code commitments}, or null. */
    private final Commitments commitments;
    /** {@code split-cost-allocation}, or null. */
    private final SplitCostAllocation split;

    MonthSummary(Month month, BillLedger ledger, TaskLifecycle tasks, ExtraDecimals extraDecimals,
                 StrayRows strayRows, Commitments commitments, SplitCostAllocation split) {
        this.split = split;
        this.month = month;
        this.spec = month.spec;
        this.clusters = month.clusters;
        this.services = month.services;
        this.instances = month.instances;
        this.volumes = month.volumes;
        this.others = month.others;
        this.ledger = ledger;
        this.tasks = tasks;
        this.extraDecimals = extraDecimals;
        this.strayRows = strayRows;
        this.commitments = commitments;
    }

    void writeAreas(Path file) throws IOException {
        Map<String, String> map = new LinkedHashMap<>();
        for (Model.Service s : services) {
            if (s.area != null && s.mapByClusterKey) {
                map.put(s.cluster.name + "/" + s.serviceKey(), s.area);
            }
        }
        for (Model.Service s : services) {
            if (s.area != null && !s.mapByClusterKey) {
                map.putIfAbsent(s.serviceKey(), s.area);
            }
        }
        ObjectNode n = Manifest.mapper().createObjectNode();
        map.forEach(n::put);
        Files.writeString(file, Manifest.mapper().writeValueAsString(n) + "\n");
    }

    /** Distinct non-empty invoice ids of the cost rows, sorted (an estimated CUR has none). */
    private List<String> invoiceIds() {
        List<String> ids = new ArrayList<>();
        for (String id : ledger.perInvoice.keySet()) {
            if (!id.isEmpty()) {
                ids.add(id);
            }
        }
        return ids;
    }

    /** The month under the amortized basis, or null without {@code commitments}. */
    private Amortization amortized() {
        if (commitments == null) {
            return null;
        }
        SortedMap<String, Long> types = new TreeMap<>();
        ledger.perType.forEach((k, v) -> types.put(k, v[0]));
        BigDecimal parts = commitments.ledgerParts();
        return new Amortization(Amounts.decimal(ledger.amortizedUnits).add(parts), ledger.amortizedLineItems,
                parts, types);
    }

    /** @param upfrontName the upfront ledger file's name, or null */
    Manifest manifest(String billName, String eventsName, String upfrontName, EventSink sink) {
        SortedMap<String, BigDecimal> invoiceTotals = new TreeMap<>();
        ledger.perInvoice.forEach((k, v) -> invoiceTotals.put(k, Amounts.decimal(Amounts.roundCents(v[0])).setScale(2,
                RoundingMode.UNNECESSARY)));
        SortedMap<String, BigDecimal> byKind = new TreeMap<>();
        ledger.perKind.forEach((k, v) -> byKind.put(k, Amounts.decimal(v[0])));
        int hosts = 0;
        for (Model.Instance i : instances) {
            if (i.host()) {
                hosts++;
            }
        }
        int nServices = 0;
        int nJobs = 0;
        int unmapped = 0;
        for (Model.Service s : services) {
            if (s.job) {
                nJobs++;
            } else {
                nServices++;
            }
            if (s.area == null) {
                unmapped++;
            }
        }
        return new Manifest(spec.format(), spec.period(), spec.seed(), spec.tagKey(), billName, eventsName,
                "areas.json", spec.estimated(), invoiceIds(), Amounts.decimal(ledger.totalUnits),
                ledger.lineItems, ledger.skippedRows, ledger.malformedRows,
                ledger.lineItems + ledger.skippedRows + ledger.malformedRows + strayRows.rows(),
                invoiceTotals, byKind,
                new Manifest.EventCounts(sink.written, sink.duplicates, sink.malformed, sink.noise, sink.byType),
                new Manifest.Entities(clusters.size(), nServices, nJobs, unmapped, instances.size(), hosts,
                        month.instancesTerminated, volumes.size(), others.size(), tasks.tasks, tasks.fargateTasks,
                        tasks.failedTasks, tasks.tasks - tasks.stoppedTasks),
                extraDecimals == null ? 0 : extraDecimals.rounded(),
                extraDecimals == null ? BigDecimal.ZERO : extraDecimals.difference(),
                strayRows.rows(), strayRows.periods(), upfrontName, amortized(), split == null ? null
                        : new Manifest.SplitLineItems(ledger.splitLineItems, ledger.splitLineItemsTagged, split.tasks,
                        split.unrecordedTasks));
    }
}
