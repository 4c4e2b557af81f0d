package dev.tally.spend;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.NamedCsvRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Business metrics per month and product area — API calls served, events delivered — to put cost per unit
 * against. A CSV file with a header {@code billing_period,product_area,metric,value}: one row per (month, area,
 * metric), the value a non-negative decimal. A metric of the same (month, area) given twice is an error, as is a row
 * that does not read; each error names the line.
 */
public final class BusinessMetrics {
    private static final List<String> COLUMNS = List.of("billing_period", "product_area", "metric", "value");

    /** One metric's value in a month and area. */
    public record Key(YearMonth period, String area, String metric) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = period.compareTo(o.period);
            if (c == 0) {
                c = area.compareTo(o.area);
            }
            return c != 0 ? c : metric.compareTo(o.metric);
        }
    }

    private final SortedMap<Key, BigDecimal> values;

    private BusinessMetrics(SortedMap<Key, BigDecimal> values) {
        this.values = values;
    }

    public static BusinessMetrics none() {
        return new BusinessMetrics(Collections.emptySortedMap());
    }

    /**
     * @param name how messages name the source (a path, an S3 URI)
     * @throws IllegalArgumentException naming the line of a row that does not read, or of a header without the columns
     */
    public static BusinessMetrics read(String name, Reader csv) throws IOException {
        SortedMap<Key, BigDecimal> values = new TreeMap<>();
        try (CsvReader<NamedCsvRecord> rows = CsvReader.builder().skipEmptyLines(true).ofNamedCsvRecord(csv)) {
            for (NamedCsvRecord row : rows) {
                if (!row.getHeader().containsAll(COLUMNS)) {
                    throw new IllegalArgumentException(name + ": the header must name " + String.join(", ", COLUMNS)
                            + " (it has " + String.join(", ", row.getHeader()) + ")");
                }
                long line = row.getStartingLineNumber();
                Key key;
                BigDecimal value;
                try {
                    key = new Key(YearMonth.parse(row.getField("billing_period").trim()),
                            row.getField("product_area").trim(), row.getField("metric").trim());
                    value = new BigDecimal(row.getField("value").trim());
                } catch (DateTimeParseException | NumberFormatException e) {
                    throw new IllegalArgumentException(name + " line " + line + ": billing_period must be YYYY-MM and "
                            + "value a decimal number");
                }
                if (key.metric().isEmpty() || value.signum() < 0) {
                    throw new IllegalArgumentException(name + " line " + line + ": a metric needs a name and a value "
                            + "of zero or more");
                }
                if (values.put(key, value) != null) {
                    throw new IllegalArgumentException(name + " line " + line + ": " + key.metric() + " of "
                            + key.area() + " in " + key.period() + " is given twice");
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new BusinessMetrics(Collections.unmodifiableSortedMap(values));
    }

    public SortedMap<Key, BigDecimal> values() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The metrics of a month. */
    public List<Map.Entry<Key, BigDecimal>> of(YearMonth period) {
        return new ArrayList<>(values.subMap(new Key(period, "", ""), new Key(period.plusMonths(1), "", "")).entrySet());
    }
}
