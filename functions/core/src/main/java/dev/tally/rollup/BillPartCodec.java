package dev.tally.rollup;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.allocation.PartialAllocation;
import dev.tally.allocation.PartialAllocationCodec;
import dev.tally.billing.BillFormat;
import dev.tally.billing.BillReadReport;
import dev.tally.billing.BillSource;
import dev.tally.billing.CostBasis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A {@link BillPartRead} as gzip JSON and back, losslessly: the report's every field (decimals as strings, which keep
 * their scale; maps in their order) and the allocation by {@link PartialAllocationCodec}. What a part worker writes
 * to S3 and the merge reads, so that a bill read by many workers rolls up to the same tables, byte for byte, as the
 * bill read in one process.
 */
public final class BillPartCodec {
    /** The format's version, written first; a reader refuses any other. */
    static final int VERSION = 1;
    /** The components of {@link BillReadReport} this codec carries, in order; a test holds them to the record. */
    static final List<String> REPORT_FIELDS = List.of("format", "packaging", "billingPeriod", "periodByRows",
            "lineItems", "skippedRows", "malformedRows", "malformed", "statedInvoiceTotals", "statesInvoiceIds",
            "otherPeriods", "rounding", "providerTotals", "costBasis", "invoicedCost");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    private BillPartCodec() {
    }

    public static byte[] encode(BillPartRead read) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(bytes, 1 << 16);
             JsonGenerator out = FACTORY.createGenerator(gzip)) {
            out.writeStartObject();
            out.writeNumberField("version", VERSION);
            out.writeStringField("part", read.part());
            out.writeFieldName("report");
            writeReport(read.report(), out);
            out.writeFieldName("allocation");
            PartialAllocationCodec.write(read.allocation(), out);
            out.writeEndObject();
        }
        return bytes.toByteArray();
    }

    /** @throws IOException if the bytes are not what {@link #encode} wrote */
    public static BillPartRead decode(InputStream encoded) throws IOException {
        try (InputStream gzip = new GZIPInputStream(encoded, 1 << 16); JsonParser in = FACTORY.createParser(gzip)) {
            if (in.nextToken() != JsonToken.START_OBJECT || !"version".equals(in.nextFieldName())
                    || in.nextToken() != JsonToken.VALUE_NUMBER_INT || in.getIntValue() != VERSION) {
                throw new IOException("not a bill part's read of version " + VERSION);
            }
            if (!"part".equals(in.nextFieldName()) || in.nextToken() != JsonToken.VALUE_STRING) {
                throw new IOException("a bill part's read without its part's name");
            }
            String part = in.getText();
            if (!"report".equals(in.nextFieldName()) || in.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a bill part's read without its report");
            }
            BillReadReport report = readReport(JSON.readTree(in));
            if (!"allocation".equals(in.nextFieldName())) {
                throw new IOException("a bill part's read without its allocation");
            }
            PartialAllocation allocation = PartialAllocationCodec.read(in);
            if (in.nextToken() != JsonToken.END_OBJECT) {
                throw new IOException("a bill part's read with more than its report and allocation");
            }
            return new BillPartRead(part, report, allocation);
        }
    }

    private static void writeReport(BillReadReport r, JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeStringField("format", r.format().name());
        out.writeStringField("packaging", r.packaging().name());
        out.writeStringField("billingPeriod", r.billingPeriod() == null ? null : r.billingPeriod().toString());
        out.writeStringField("periodByRows", r.periodByRows() == null ? null : r.periodByRows().toString());
        out.writeNumberField("lineItems", r.lineItems());
        out.writeNumberField("skippedRows", r.skippedRows());
        out.writeNumberField("malformedRows", r.malformedRows());
        out.writeArrayFieldStart("malformed");
        for (BillReadReport.MalformedRow row : r.malformed()) {
            out.writeStartArray();
            out.writeString(row.part());
            out.writeNumber(row.lineNumber());
            out.writeString(row.reason());
            out.writeEndArray();
        }
        out.writeEndArray();
        amounts(out, "statedInvoiceTotals", r.statedInvoiceTotals());
        out.writeBooleanField("statesInvoiceIds", r.statesInvoiceIds());
        out.writeArrayFieldStart("otherPeriods");
        for (Map.Entry<YearMonth, BillReadReport.OtherPeriod> e : r.otherPeriods().entrySet()) {
            out.writeStartArray();
            out.writeString(e.getKey().toString());
            out.writeNumber(e.getValue().rows());
            out.writeString(e.getValue().cost().toString());
            out.writeEndArray();
        }
        out.writeEndArray();
        out.writeArrayFieldStart("rounding");
        out.writeNumber(r.rounding().amounts());
        out.writeString(r.rounding().difference().toString());
        out.writeEndArray();
        amounts(out, "providerTotals", r.providerTotals());
        out.writeStringField("costBasis", r.costBasis().name());
        out.writeStringField("invoicedCost", r.invoicedCost().toString());
        out.writeEndObject();
    }

    private static void amounts(JsonGenerator out, String field, Map<String, BigDecimal> amounts) throws IOException {
        out.writeArrayFieldStart(field);
        for (Map.Entry<String, BigDecimal> e : amounts.entrySet()) {
            out.writeStartArray();
            out.writeString(e.getKey());
            out.writeString(e.getValue().toString());
            out.writeEndArray();
        }
        out.writeEndArray();
    }

    private static BillReadReport readReport(JsonNode r) throws IOException {
        List<BillReadReport.MalformedRow> malformed = new ArrayList<>();
        for (JsonNode row : array(r, "malformed")) {
            malformed.add(new BillReadReport.MalformedRow(row.get(0).asText(), row.get(1).asLong(), row.get(2).asText()));
        }
        SortedMap<YearMonth, BillReadReport.OtherPeriod> others = new TreeMap<>();
        for (JsonNode other : array(r, "otherPeriods")) {
            others.put(YearMonth.parse(other.get(0).asText()),
                    new BillReadReport.OtherPeriod(other.get(1).asLong(), new BigDecimal(other.get(2).asText())));
        }
        JsonNode rounding = array(r, "rounding");
        try {
            return new BillReadReport(BillFormat.valueOf(r.path("format").asText()),
                    BillSource.Packaging.valueOf(r.path("packaging").asText()), period(r, "billingPeriod"),
                    period(r, "periodByRows"), r.path("lineItems").asLong(), r.path("skippedRows").asLong(),
                    r.path("malformedRows").asLong(), List.copyOf(malformed),
                    Collections.unmodifiableMap(amounts(r, "statedInvoiceTotals", new LinkedHashMap<>())),
                    r.path("statesInvoiceIds").asBoolean(), Collections.unmodifiableSortedMap(others),
                    new BillReadReport.Rounding(rounding.get(0).asLong(), new BigDecimal(rounding.get(1).asText())),
                    Collections.unmodifiableSortedMap(amounts(r, "providerTotals", new TreeMap<>())),
                    CostBasis.valueOf(r.path("costBasis").asText()), new BigDecimal(r.path("invoicedCost").asText()));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IOException("a bill part's report that cannot be read: " + e.getMessage(), e);
        }
    }

    private static JsonNode array(JsonNode r, String field) throws IOException {
        JsonNode array = r.path(field);
        if (!array.isArray()) {
            throw new IOException("a bill part's report without " + field);
        }
        return array;
    }

    private static <M extends Map<String, BigDecimal>> M amounts(JsonNode r, String field, M into) throws IOException {
        for (JsonNode e : array(r, field)) {
            into.put(e.get(0).asText(), new BigDecimal(e.get(1).asText()));
        }
        return into;
    }

    private static YearMonth period(JsonNode r, String field) {
        JsonNode value = r.path(field);
        return value.isTextual() ? YearMonth.parse(value.asText()) : null;
    }
}
