package dev.tally.aws.redshift;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.tally.delivery.ObjectStore;
import dev.tally.rollup.RollupTables;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A run's table as the JDBC warehouse inserts it, read from its CSV object: the header must be the table's columns
 * without {@code billing_period} (a file of another layout is refused, not loaded wrongly), and every money column
 * ({@link RollupTables#isMoney}: {@code cost}, or the comparison's {@code events_cost}, {@code aws_cost} and
 * {@code difference}) is parsed as an exact {@link BigDecimal}. The tables are aggregates, small enough to hold.
 */
final class CsvRows {
    private CsvRows() {
    }

    /** @return one array per row, in the CSV's column order: text as {@link String}, money as {@link BigDecimal} */
    static List<Object[]> read(ObjectStore store, WarehouseSql.Rows rows) throws IOException {
        List<String> columns = WarehouseSql.csvColumns(rows.table());
        String uri = "s3://" + rows.bucket() + "/" + rows.key();
        List<Object[]> result = new ArrayList<>();
        try (InputStream in = store.get(rows.bucket(), rows.key(), "", "");
             CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(in, StandardCharsets.UTF_8)) {
            Iterator<CsvRecord> records = csv.iterator();
            if (!records.hasNext() || !records.next().getFields().equals(columns)) {
                throw new IOException(uri + ": the header is not " + String.join(",", columns));
            }
            while (records.hasNext()) {
                result.add(row(records.next(), columns, uri, rows.table()));
            }
        } catch (RuntimeException e) {
            throw new IOException(uri + ": not a CSV table: " + e.getMessage(), e);
        }
        return result;
    }

    private static Object[] row(CsvRecord record, List<String> columns, String uri, RollupTables table)
            throws IOException {
        int width = columns.size();
        if (record.getFieldCount() != width) {
            throw new IOException(uri + " line " + record.getStartingLineNumber() + ": " + record.getFieldCount()
                    + " fields, " + table.id() + " has " + width);
        }
        Object[] row = new Object[width];
        for (int i = 0; i < width; i++) {
            if (!RollupTables.isMoney(columns.get(i))) {
                row[i] = record.getField(i);
                continue;
            }
            try {
                row[i] = new BigDecimal(record.getField(i));
            } catch (NumberFormatException e) {
                throw new IOException(uri + " line " + record.getStartingLineNumber() + ": the " + columns.get(i)
                        + " is not a number", e);
            }
        }
        return row;
    }
}
