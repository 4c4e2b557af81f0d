package dev.tally.allocation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartialAllocationCodecTest {
    private static final JsonFactory JSON = new JsonFactory();

    private static String write(PartialAllocation partial) throws IOException {
        StringWriter text = new StringWriter();
        try (JsonGenerator out = JSON.createGenerator(text)) {
            PartialAllocationCodec.write(partial, out);
        }
        return text.toString();
    }

    private static PartialAllocation read(String text) throws IOException {
        try (JsonParser in = JSON.createParser(text)) {
            return PartialAllocationCodec.read(in);
        }
    }

    /** Every field of a ledger as comparable values, the shared charges as kept (units in order, large ones). */
    private static Map<String, Object> fields(PartialAllocation partial) {
        AllocationLedger l = partial.ledger();
        Map<String, Object> shared = new LinkedHashMap<>();
        l.shared.forEachProduct((product, units, large) -> shared.put(product,
                List.of(Arrays.toString(units), List.copyOf(large))));
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("period", partial.period());
        all.put("total", l.total);
        all.put("lineItems", l.lineItems);
        all.put("invoiceIds", List.copyOf(l.invoiceIds));
        all.put("allInvoicesFinal", l.allInvoicesFinal);
        all.put("rowsByRule", Map.copyOf(l.rowsByRule));
        all.put("direct", new LinkedHashMap<>(l.direct));
        all.put("untagged", new LinkedHashMap<>(l.untagged));
        all.put("instanceTags", new LinkedHashMap<>(l.instanceTags));
        all.put("awaitingInstanceTag", new LinkedHashMap<>(l.awaitingInstanceTag));
        all.put("shared", shared);
        all.put("accrual", List.of(l.accrual.usageThroughMillis(), new LinkedHashMap<>(l.accrual.fixedByProduct()),
                new LinkedHashMap<>(l.accrual.daysByProduct())));
        return all;
    }

    private static PartialAllocation sample() {
        AllocationLedger l = new AllocationLedger();
        // the lines' total is what the targets, the waiting part and the shared charges add up to (finish checks it)
        l.countLine("123456789", new BigDecimal("98765432109876543221.6234567888"));
        l.countLine("Estimated", new BigDecimal("-2.5000000000"));
        l.countRule(Allocator.Rule.OWN_TAG);
        l.countRule(Allocator.Rule.SHARED);
        l.add("Amazon EC2", new Target("search", "prod", "indexer"), new BigDecimal("7.1234567890"));
        l.add("Amazon S3", Target.UNALLOCATED_TARGET, new BigDecimal("0E-10"));
        l.untagged.put(new Allocator.ProductResource("Amazon S3", "arn:aws:s3:::logs"), new BigDecimal("0.3000000000"));
        l.instanceTags.put("i-1", "search");
        l.instanceTags.put("i-2", "");
        l.awaitingInstanceTag.put(new Allocator.ProductResource("Amazon EBS", "i-2"), new BigDecimal("1.0000000000"));
        l.shared.addUnits("AWS Support", 5_000_000_000L);
        l.shared.addUnits("AWS Support", -3L);
        l.shared.addUnits("AWS Support", 5_000_000_000L);
        l.shared.add("AWS Support", new BigDecimal("98765432109876543210.0000000001"));
        l.accrual.add("Amazon EC2", 1_485_907_200_000L, 1_485_910_800_000L, new BigDecimal("7.1234567890"));
        l.accrual.add("Amazon EC2", 1_485_993_600_000L, 1_485_997_200_000L, new BigDecimal("-2.5000000000"));
        l.accrual.addFixed("AWS Support", new BigDecimal("98765432109876543221.0000000001"));
        return new PartialAllocation(YearMonth.of(2017, 2), l);
    }

    @Test
    void shouldCarryEveryFieldOfTheLedger_soAFieldAddedLaterIsNotLeftBehind() {
        List<String> declared = new ArrayList<>();
        for (Field field : AllocationLedger.class.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers())) {
                declared.add(field.getName());
            }
        }

        assertThat(declared).as("AllocationLedger's fields: PartialAllocationCodec must write and read each one")
                .containsExactlyInAnyOrderElementsOf(PartialAllocationCodec.LEDGER_FIELDS);
    }

    @Test
    void shouldReadBackExactlyWhatItWrote_scalesOrderAndLargeAmountsKept() throws IOException {
        PartialAllocation sample = sample();

        PartialAllocation back = read(write(sample));

        assertThat(fields(back)).isEqualTo(fields(sample));
        assertThat(back.ledger().total.scale()).isEqualTo(10);
        assertThat(back.ledger().direct.get(new Allocator.ProductTarget("Amazon S3", Target.UNALLOCATED_TARGET)))
                .hasToString("0E-10");
        assertThat(write(back)).isEqualTo(write(sample));
    }

    @Test
    void shouldFinishTheSameAllocation_afterTheRoundTrip() throws IOException {
        assertThat(read(write(sample())).finish()).isEqualTo(sample().finish());
    }

    @Test
    void shouldRefuseAnAllocationWithAFieldMissing() throws IOException {
        String text = write(sample()).replaceFirst(",\"lineItems\":2", "");

        assertThatThrownBy(() -> read(text)).isInstanceOf(IOException.class)
                .hasMessageContaining("expected the field lineItems");
    }
}
