package dev.tally.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a month generated with {@code commitments} comes to under the amortized cost basis (allocation contract §8):
 * the manifest's {@code amortized} object ({@link Manifest#amortized()}).
 *
 * @param totalCost     exact Σ of the line items' amortized amounts (each amortization cell, or the cost, as a reader
 *                      gets it), plus for DBR the upfront ledger's parts of the period: what every table of an
 *                      amortized rollup sums to ({@code total_cost})
 * @param lineItems     cost line items under that basis: for DBR without the sign-up charges, which are skipped rows
 *                      there ({@code line_items})
 * @param ledgerParts   DBR: Σ of this period's parts of the upfront ledger's entries (§5's equal split), included in
 *                      totalCost ({@code ledger_parts}); 0 for the other formats
 * @param lineItemTypes cost line items per CUR line item type as the generator made them (DBR and FOCUS rows too,
 *                      whose bills have no such column; FOCUS has no negations) ({@code line_item_types})
 */
public record Amortization(BigDecimal totalCost, long lineItems, BigDecimal ledgerParts,
                           SortedMap<String, Long> lineItemTypes) {
    public Amortization {
        Objects.requireNonNull(totalCost, "totalCost");
        Objects.requireNonNull(ledgerParts, "ledgerParts");
        lineItemTypes = Collections.unmodifiableSortedMap(new TreeMap<>(lineItemTypes));
    }

    void writeTo(ObjectNode o) {
        o.put("total_cost", totalCost.toPlainString());
        o.put("line_items", lineItems);
        o.put("ledger_parts", ledgerParts.toPlainString());
        ObjectNode types = o.putObject("line_item_types");
        lineItemTypes.forEach(types::put);
    }

    static Amortization readFrom(JsonNode o) {
        SortedMap<String, Long> types = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : o.get("line_item_types").properties()) {
            types.put(e.getKey(), e.getValue().asLong());
        }
        return new Amortization(new BigDecimal(o.get("total_cost").asText()), o.get("line_items").asLong(),
                new BigDecimal(o.get("ledger_parts").asText()), types);
    }
}
