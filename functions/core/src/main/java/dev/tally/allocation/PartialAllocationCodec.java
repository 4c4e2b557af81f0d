package dev.tally.allocation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link PartialAllocation} written as JSON and read back exactly, so that a part allocated by one worker merges
 * in another as if both had run in one process (the distributed rollup of a bill in many parts). Every field of the
 * ledger is carried: decimals as strings ({@link BigDecimal#toString()}, which keeps the scale), maps as arrays of
 * entries in their iteration order, the shared charges as the units and large amounts each product keeps, in the
 * order they were added. Streamed both ways: a part's shared charges can be millions of rows.
 *
 * <p>The reader expects the fields in the order the writer writes them; anything else is an {@link IOException}
 * naming what it found, never a partial allocation.
 */
public final class PartialAllocationCodec {
    /** The fields of {@link AllocationLedger} this codec carries, in the order written; a test holds them to the class. */
    static final List<String> LEDGER_FIELDS = List.of("total", "lineItems", "invoiceIds", "allInvoicesFinal",
            "rowsByRule", "direct", "untagged", "instanceTags", "awaitingInstanceTag", "shared",
            "accrual", "awsSplit");

    private PartialAllocationCodec() {
    }

    /** Writes the allocation as one JSON object at the generator's position. */
    public static void write(PartialAllocation partial, JsonGenerator out) throws IOException {
        AllocationLedger ledger = partial.ledger();
        out.writeStartObject();
        out.writeStringField("period", partial.period() == null ? null : partial.period().toString());
        out.writeStringField("total", ledger.total.toString());
        out.writeNumberField("lineItems", ledger.lineItems);
        out.writeArrayFieldStart("invoiceIds");
        for (String id : ledger.invoiceIds) {
            out.writeString(id);
        }
        out.writeEndArray();
        out.writeBooleanField("allInvoicesFinal", ledger.allInvoicesFinal);
        out.writeArrayFieldStart("rowsByRule");
        for (Map.Entry<Allocator.Rule, Long> e : ledger.rowsByRule.entrySet()) {
            out.writeStartArray();
            out.writeString(e.getKey().name());
            out.writeNumber(e.getValue());
            out.writeEndArray();
        }
        out.writeEndArray();
        out.writeArrayFieldStart("direct");
        for (Map.Entry<Allocator.ProductTarget, BigDecimal> e : ledger.direct.entrySet()) {
            Target target = e.getKey().target();
            strings(out, e.getKey().product(), target.area(), target.cluster(), target.service(),
                    e.getValue().toString());
        }
        out.writeEndArray();
        resources(out, "untagged", ledger.untagged);
        out.writeArrayFieldStart("instanceTags");
        for (Map.Entry<String, String> e : ledger.instanceTags.entrySet()) {
            strings(out, e.getKey(), e.getValue());
        }
        out.writeEndArray();
        resources(out, "awaitingInstanceTag", ledger.awaitingInstanceTag);
        out.writeArrayFieldStart("shared");
        IOException[] failure = new IOException[1];
        ledger.shared.forEachProduct((product, units, large) -> {
            try {
                out.writeStartObject();
                out.writeStringField("product", product);
                out.writeFieldName("units");
                out.writeArray(units, 0, units.length);
                out.writeArrayFieldStart("large");
                for (BigDecimal amount : large) {
                    out.writeString(amount.toString());
                }
                out.writeEndArray();
                out.writeEndObject();
            } catch (IOException e) {
                failure[0] = failure[0] == null ? e : failure[0];
            }
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        out.writeEndArray();
        writeAccrual(ledger.accrual, out);
        out.writeFieldName("awsSplit");
        ledger.awsSplit.write(out);
        out.writeEndObject();
    }

    private static void writeAccrual(Accrual accrual, JsonGenerator out) throws IOException {
        out.writeObjectFieldStart("accrual");
        out.writeNumberField("usageThrough", accrual.usageThroughMillis());
        out.writeArrayFieldStart("fixed");
        for (Map.Entry<String, BigDecimal> e : accrual.fixedByProduct().entrySet()) {
            strings(out, e.getKey(), e.getValue().toString());
        }
        out.writeEndArray();
        out.writeArrayFieldStart("days");
        for (Map.Entry<String, java.util.SortedMap<Long, BigDecimal>> product : accrual.daysByProduct().entrySet()) {
            for (Map.Entry<Long, BigDecimal> day : product.getValue().entrySet()) {
                strings(out, product.getKey(), day.getKey().toString(), day.getValue().toString());
            }
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    private static void readAccrual(JsonParser in, Accrual accrual) throws IOException {
        field(in, "accrual");
        expect(in.nextToken(), JsonToken.START_OBJECT, in);
        field(in, "usageThrough");
        expect(in.nextToken(), JsonToken.VALUE_NUMBER_INT, in);
        accrual.reach(in.getLongValue());
        for (List<String> e : entries(in, "fixed", 2)) {
            accrual.addFixed(e.get(0), new BigDecimal(e.get(1)));
        }
        for (List<String> e : entries(in, "days", 3)) {
            accrual.addDay(e.get(0), Long.parseLong(e.get(1)), new BigDecimal(e.get(2)));
        }
        expect(in.nextToken(), JsonToken.END_OBJECT, in);
    }

    private static void resources(JsonGenerator out, String field, Map<Allocator.ProductResource, BigDecimal> map)
            throws IOException {
        out.writeArrayFieldStart(field);
        for (Map.Entry<Allocator.ProductResource, BigDecimal> e : map.entrySet()) {
            strings(out, e.getKey().product(), e.getKey().resource(), e.getValue().toString());
        }
        out.writeEndArray();
    }

    private static void strings(JsonGenerator out, String... values) throws IOException {
        out.writeStartArray();
        for (String value : values) {
            out.writeString(value);
        }
        out.writeEndArray();
    }

    /** Reads what {@link #write} wrote; the parser is on the object's start token or just before it. */
    public static PartialAllocation read(JsonParser in) throws IOException {
        if (in.currentToken() != JsonToken.START_OBJECT) {
            expect(in.nextToken(), JsonToken.START_OBJECT, in);
        }
        String period = text(in, "period");
        AllocationLedger ledger = new AllocationLedger();
        ledger.total = new BigDecimal(text(in, "total"));
        field(in, "lineItems");
        expect(in.nextToken(), JsonToken.VALUE_NUMBER_INT, in);
        ledger.lineItems = in.getLongValue();
        for (List<String> id : entries(in, "invoiceIds", 0)) {
            ledger.invoiceIds.add(id.get(0));
        }
        field(in, "allInvoicesFinal");
        JsonToken bool = in.nextToken();
        if (bool != JsonToken.VALUE_TRUE && bool != JsonToken.VALUE_FALSE) {
            throw new IOException("allInvoicesFinal is not a boolean at " + in.currentLocation());
        }
        ledger.allInvoicesFinal = bool == JsonToken.VALUE_TRUE;
        for (List<String> e : entries(in, "rowsByRule", 2)) {
            ledger.rowsByRule.put(Allocator.Rule.valueOf(e.get(0)), Long.parseLong(e.get(1)));
        }
        for (List<String> e : entries(in, "direct", 5)) {
            ledger.direct.put(new Allocator.ProductTarget(e.get(0), new Target(e.get(1), e.get(2), e.get(3))),
                    new BigDecimal(e.get(4)));
        }
        for (List<String> e : entries(in, "untagged", 3)) {
            ledger.untagged.put(new Allocator.ProductResource(e.get(0), e.get(1)), new BigDecimal(e.get(2)));
        }
        for (List<String> e : entries(in, "instanceTags", 2)) {
            ledger.instanceTags.put(e.get(0), e.get(1));
        }
        for (List<String> e : entries(in, "awaitingInstanceTag", 3)) {
            ledger.awaitingInstanceTag.put(new Allocator.ProductResource(e.get(0), e.get(1)), new BigDecimal(e.get(2)));
        }
        field(in, "shared");
        expect(in.nextToken(), JsonToken.START_ARRAY, in);
        while (in.nextToken() == JsonToken.START_OBJECT) {
            String product = text(in, "product");
            field(in, "units");
            expect(in.nextToken(), JsonToken.START_ARRAY, in);
            while (in.nextToken() == JsonToken.VALUE_NUMBER_INT) {
                ledger.shared.addUnits(product, in.getLongValue());
            }
            expect(in.currentToken(), JsonToken.END_ARRAY, in);
            for (List<String> amount : entries(in, "large", 0)) {
                ledger.shared.add(product, new BigDecimal(amount.get(0)));
            }
            expect(in.nextToken(), JsonToken.END_OBJECT, in);
        }
        expect(in.currentToken(), JsonToken.END_ARRAY, in);
        readAccrual(in, ledger.accrual);
        field(in, "awsSplit");
        ledger.awsSplit.read(in);
        expect(in.nextToken(), JsonToken.END_OBJECT, in);
        return new PartialAllocation(period == null ? null : YearMonth.parse(period), ledger);
    }

    /**
     * An array field of entries: each an array of {@code width} scalars as text, or (width 0) each a string.
     */
    static List<List<String>> entries(JsonParser in, String name, int width) throws IOException {
        field(in, name);
        expect(in.nextToken(), JsonToken.START_ARRAY, in);
        List<List<String>> entries = new ArrayList<>();
        while (in.nextToken() != JsonToken.END_ARRAY) {
            if (width == 0) {
                entries.add(List.of(scalar(in)));
                continue;
            }
            expect(in.currentToken(), JsonToken.START_ARRAY, in);
            List<String> entry = new ArrayList<>(width);
            while (in.nextToken() != JsonToken.END_ARRAY) {
                entry.add(scalar(in));
            }
            if (entry.size() != width) {
                throw new IOException(name + " has an entry of " + entry.size() + " values, not " + width + " at "
                        + in.currentLocation());
            }
            entries.add(entry);
        }
        return entries;
    }

    private static String scalar(JsonParser in) throws IOException {
        JsonToken token = in.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!token.isScalarValue()) {
            throw new IOException("expected a value, found " + token + " at " + in.currentLocation());
        }
        return in.getText();
    }

    static String text(JsonParser in, String name) throws IOException {
        field(in, name);
        JsonToken token = in.nextToken();
        if (token != JsonToken.VALUE_STRING && token != JsonToken.VALUE_NULL) {
            throw new IOException(name + " is not a string at " + in.currentLocation());
        }
        return token == JsonToken.VALUE_NULL ? null : in.getText();
    }

    static void field(JsonParser in, String name) throws IOException {
        String found = in.nextFieldName();
        if (!name.equals(found)) {
            throw new IOException("expected the field " + name + ", found " + (found == null ? in.currentToken()
                    : found) + " at " + in.currentLocation());
        }
    }

    static void expect(JsonToken found, JsonToken wanted, JsonParser in) throws IOException {
        if (found != wanted) {
            throw new IOException("expected " + wanted + ", found " + found + " at " + in.currentLocation());
        }
    }
}
