package dev.tally.billing;

import dev.tally.money.ScaledMoney;
import dev.tally.testkit.BillFormat;
import dev.tally.testkit.Compression;
import dev.tally.testkit.EventOptions;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;
import dev.tally.testkit.ParquetOptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batches the fast engine reads a Parquet bill through give, row for row, the cells {@link ParquetRecords}
 * gives row by row; their typed values are exactly what the cells' text parses to, and a dictionary id stands for
 * one text within a row group.
 */
class ParquetBatchesTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} times {1} tags {2} basis {4}")
    @CsvSource({
        "CUR2,  TIMESTAMP, MAP,  41, UNBLENDED",
        "CUR2,  INT96,     JSON, 42, AMORTIZED",
        "CUR2,  STRING,    MAP,  43, UNBLENDED",
        "FOCUS, TIMESTAMP, MAP,  44, AMORTIZED",
        "FOCUS, INT96,     JSON, 45, UNBLENDED",
    })
    void shouldGiveTheCellsOfTheRowByRowReading(BillFormat format, ParquetOptions.Times times, ParquetOptions.Tags tags,
                                                long seed, CostBasis basis) throws Exception {
        Manifest m = MonthGenerator.generate(MonthSpec.builder().format(format).seed(seed).targetRows(8_000)
                .events(EventOptions.messy()).commitments(true).extraDecimals(true).strayPeriodRows(4)
                .compression(Compression.PARQUET).parquet(new ParquetOptions(times, tags, 64 << 10)).build(), dir);
        BillPart part = BillPart.of(dir.resolve(m.billFile()));
        ReadSettings settings = new ReadSettings(m.tagKey(), basis);
        int rows = 0;
        int typedAmounts = 0;
        int typedTimes = 0;
        int dictionaryCells = 0;
        try (ParquetRecords one = ParquetRecords.open(part); ParquetRecords batched = ParquetRecords.open(part)) {
            BillLayout layout = BillLayout.detect(part.name(), one.header(), settings);
            int[] columns = layout.allColumns();
            one.project(columns, layout);
            batched.project(columns, layout);
            try (ParquetBatches batches = new ParquetBatches(batched, columns, part.name())) {
                Map<Long, String> textById = new HashMap<>();
                int generation = -1;
                while (one.next()) {
                    assertThat(batches.next()).isTrue();
                    rows++;
                    assertThat(batches.lineNumber()).isEqualTo(one.lineNumber());
                    if (batches.dictionaryGeneration() != generation) {
                        generation = batches.dictionaryGeneration();
                        textById.clear();
                    }
                    for (int field : columns) {
                        String text = batches.text(field);
                        assertThat(text).as("line %d field %d", one.lineNumber(), field).isEqualTo(one.text(field));
                        assertThat(batches.dictionaryId(field)).isEqualTo(one.dictionaryId(field));
                        byte[] b = batches.buffer();
                        long amount = batches.scaledAmount(field);
                        if (amount != ScaledMoney.NOT_FAST) {
                            typedAmounts++;
                            assertThat(amount).as(text).isEqualTo(
                                    ScaledMoney.parse(b, batches.start(field), batches.end(field)));
                        }
                        if (batches.epochMillis(field) != FastInstants.NOT_FAST) {
                            typedTimes++;
                            assertThat(batches.epochMillis(field)).as(text).isEqualTo(
                                    FastInstants.parse(b, batches.start(field), batches.end(field)));
                        }
                        int id = batches.dictionaryId(field);
                        if (id >= 0) {
                            dictionaryCells++;
                            String before = textById.putIfAbsent(((long) field << 32) | id, text);
                            assertThat(before == null || before.equals(text)).as(text).isTrue();
                        }
                    }
                }
                assertThat(batches.next()).isFalse();
            }
        }
        assertThat(rows).isGreaterThanOrEqualTo((int) m.lineItems());
        assertThat(typedAmounts).isPositive();
        assertThat(dictionaryCells).isPositive();
        if (times != ParquetOptions.Times.STRING) {
            assertThat(typedTimes).isPositive();
        }
    }
}
