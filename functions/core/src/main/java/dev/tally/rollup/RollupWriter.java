package dev.tally.rollup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.allocation.Accrual;
import dev.tally.billing.BillReadReport;
import dev.tally.history.EventReadReport;
import dev.tally.money.Money;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a rollup's tables as CSV ({@link RollupTables}) and its summary as JSON (allocation contract §6), plus
 * {@code report.json} with what the run skipped and why. Each file is written to a temporary name
 * and moved into place, so a reader never sees half a table.
 */
public final class RollupWriter {
    public static final String SUMMARY = "summary.json";
    public static final String REPORT = "report.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RollupWriter() {
    }

    public static void write(Rollup rollup, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (RollupTables table : RollupTables.values()) {
            Path file = dir.resolve(table.fileName());
            if (!table.writtenFor(rollup)) {
                Files.deleteIfExists(file); // a run into a directory that held another's tables
                continue;
            }
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp))) {
                table.write(rollup, out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        json(dir.resolve(SUMMARY), summaryJson(rollup.summary()));
        json(dir.resolve(REPORT), reportJson(rollup));
    }

    public static ObjectNode summaryJson(Rollup.Summary s) {
        ObjectNode node = JSON.createObjectNode();
        node.put("billing_period", s.billingPeriod());
        node.put("format", s.format());
        node.put("final", s.isFinal());
        ArrayNode ids = node.putArray("invoice_ids");
        s.invoiceIds().forEach(ids::add);
        node.put("line_items", s.lineItems());
        node.put("skipped_rows", s.skippedRows());
        node.put("malformed_rows", s.malformedRows());
        node.put("other_period_rows", s.otherPeriodRows());
        node.put("total_cost", Money.format(s.totalCost()));
        node.put("allocated_cost", Money.format(s.allocatedCost()));
        node.put("unallocated_cost", Money.format(s.unallocatedCost()));
        node.put("unmapped_cost", Money.format(s.unmappedCost()));
        node.put("coverage", s.coverage().toPlainString());
        node.put("run_id", s.runId());
        node.put("cost_basis", s.costBasis());
        if (s.ecsSplit() != null) {
            node.put("ecs_split", s.ecsSplit());
        }
        return node;
    }

    public static ObjectNode reportJson(Rollup rollup) {
        ObjectNode node = JSON.createObjectNode();
        node.put("run_id", rollup.summary().runId());
        BillReadReport bill = rollup.billReport();
        ObjectNode billNode = node.putObject("bill");
        billNode.put("format", bill.format().id());
        billNode.put("packaging", bill.packaging().name().toLowerCase(java.util.Locale.ROOT));
        billNode.put("line_items", bill.lineItems());
        billNode.put("cost_basis", bill.costBasis().id());
        billNode.put("invoiced_cost", Money.format(bill.invoicedCost()));
        billNode.put("skipped_rows", bill.skippedRows());
        billNode.put("malformed_rows", bill.malformedRows());
        ArrayNode malformed = billNode.putArray("malformed");
        bill.malformed().forEach(m -> malformed.addObject().put("line", m.lineNumber()).put("reason", m.reason()));
        ObjectNode reconciliation = billNode.putObject("invoice_totals");
        bill.statedInvoiceTotals().forEach((id, total) -> reconciliation.put(id, Money.format(total)));
        billNode.put("other_period_rows", bill.otherPeriodRows());
        ObjectNode others = billNode.putObject("other_periods");
        bill.otherPeriods().forEach((period, rows) -> others.putObject(period.toString())
                .put("rows", rows.rows()).put("cost", Money.format(rows.cost())));
        billNode.putObject("rounded_amounts")
                .put("count", bill.rounding().amounts())
                .put("difference", bill.rounding().difference().toPlainString());
        if (!bill.providerTotals().isEmpty()) {
            ObjectNode providers = billNode.putObject("provider_totals");
            bill.providerTotals().forEach((provider, total) -> providers.put(provider, Money.format(total)));
        }
        ObjectNode rules = node.putObject("line_items_by_rule");
        rollup.rowsByRule().forEach((rule, count) -> rules.put(rule.name().toLowerCase(java.util.Locale.ROOT), count));
        accrualJson(rollup.accrual(), node.putObject("accrual"));
        if (rollup.ecsSplit() != null) {
            node.putObject("ecs_split").put("mode", rollup.ecsSplit().mode().id())
                    .put("split_line_items", rollup.ecsSplit().splitLineItems());
        }
        ObjectNode timings = node.putObject("timings_ms");
        timings.put("events", rollup.timings().eventsMillis());
        timings.put("bill", rollup.timings().billMillis());
        timings.put("shared_and_tables", rollup.timings().finishMillis());
        EventReadReport events = rollup.eventReport();
        ObjectNode eventsNode = node.putObject("events");
        eventsNode.put("files", events.files());
        eventsNode.put("events", events.events());
        ObjectNode used = eventsNode.putObject("used");
        events.used().forEach(used::put);
        eventsNode.put("ignored", events.ignored());
        ObjectNode unknown = eventsNode.putObject("unknown_types");
        events.unknown().forEach(unknown::put);
        eventsNode.put("invalid", events.invalid());
        ArrayNode problems = eventsNode.putArray("problems");
        events.problems().forEach(problems::add);
        return node;
    }

    /**
     * How the period's cost accrues ({@link Accrual}): how far its usage reaches, and per AWS product the fixed
     * charges and the usage of each day — what a forecast of an open month reads.
     */
    private static void accrualJson(Accrual accrual, ObjectNode node) {
        accrual.usageThrough().ifPresentOrElse(t -> node.put("usage_through", t.toString()),
                () -> node.putNull("usage_through"));
        ObjectNode products = node.putObject("products");
        accrual.products().forEach((product, a) -> {
            ObjectNode p = products.putObject(product);
            p.put("fixed", Money.format(a.fixed()));
            ObjectNode days = p.putObject("usage_by_day");
            a.accruingByDay().forEach((day, amount) -> days.put(day.toString(), Money.format(amount)));
        });
    }

    private static void json(Path file, ObjectNode node) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), node);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
