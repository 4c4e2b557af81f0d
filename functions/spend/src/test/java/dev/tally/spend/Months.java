package dev.tally.spend;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.tally.delivery.ObjectStore;
import dev.tally.delivery.RollupOutputs;
import dev.tally.delivery.RunRecord;
import dev.tally.rollup.Rollup;
import dev.tally.rollup.RollupRunner;
import dev.tally.testkit.BillFormat;
import dev.tally.testkit.Compression;
import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.UnaryOperator;

/** Generated months rolled up and written to an output layout, as the billing function would. */
final class Months {
    static final String BUCKET = "tally-outputs";

    private Months() {
    }

    static MonthSpec.Builder spec(YearMonth period, long seed, int rows) {
        return MonthSpec.builder().period(period).format(BillFormat.CUR2).compression(Compression.NONE).seed(seed)
                .targetRows(rows);
    }

    static Manifest generate(Path dir, MonthSpec spec) throws IOException {
        return MonthGenerator.generate(spec, dir);
    }

    /** Rolls a generated month up as of {@code at} (which makes the run id). */
    static Rollup rollup(Path month, Manifest m, Path bill, Instant at) {
        return new RollupRunner(Clock.fixed(at, ZoneOffset.UTC), RollupRunner.Engine.FAST).run(
                new RollupRunner.Request(bill, month.resolve(m.eventsFile()), month.resolve(m.areasFile()),
                        m.tagKey(), m.period()), bytes -> { });
    }

    /** Writes the run (and, for a final bill, the finalized tables) as the billing function does. */
    static RunRecord write(ObjectStore store, Rollup rollup, Instant at) throws IOException {
        RollupOutputs outputs = new RollupOutputs(store, BUCKET, "");
        RunRecord run = outputs.writeRun(rollup, "s3://bills/" + rollup.summary().billingPeriod(), at, at);
        return rollup.summary().isFinal() ? outputs.finalize(rollup, run) : run;
    }

    /**
     * A CUR 2.0 bill as it stands part way through the month: usage rows (windows of at most a day) that start before
     * {@code cut}, and every longer row (monthly fees are on the bill from the start); each kept row through
     * {@code change}.
     */
    static Path cut(Path bill, Path out, Instant cut, UnaryOperator<List<String>> change) throws IOException {
        try (CsvReader<CsvRecord> in = CsvReader.builder().ofCsvRecord(bill);
             Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8);
             CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(writer)) {
            int start = -1;
            int end = -1;
            boolean header = true;
            for (CsvRecord record : in) {
                List<String> fields = record.getFields();
                if (header) {
                    start = fields.indexOf("line_item_usage_start_date");
                    end = fields.indexOf("line_item_usage_end_date");
                    csv.writeRecord(fields);
                    header = false;
                    continue;
                }
                Instant from = Instant.parse(fields.get(start));
                Instant to = Instant.parse(fields.get(end));
                boolean usage = to.toEpochMilli() - from.toEpochMilli() <= 86_400_000L;
                if (!usage || from.isBefore(cut)) {
                    csv.writeRecord(change.apply(fields));
                }
            }
        }
        return out;
    }

    static BigDecimal sum(List<Rollup.AreaCost> rows) {
        return rows.stream().map(Rollup.AreaCost::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
