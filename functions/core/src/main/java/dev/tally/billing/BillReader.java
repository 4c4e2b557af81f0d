package dev.tally.billing;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.Iterator;
import java.util.function.LongConsumer;
import java.util.zip.ZipException;

/**
 * Streams a bill: one row in memory at a time, whatever the file's size. Rows that are not cost
 * line items are counted as skipped; rows that cannot be parsed are counted and reported by line
 * number, and reading goes on (allocation contract §2). A file that cannot be read as a bill at all
 * fails with a {@link BillFileException} naming the file and the reason.
 */
public final class BillReader {

    private final ReadSettings settings;

    /** @param tagKey the cost-allocation tag that names a product area, without {@code user:} */
    public BillReader(String tagKey) {
        this(ReadSettings.unblended(tagKey));
    }

    public BillReader(ReadSettings settings) {
        this.settings = settings;
    }

    public BillReadReport read(Path file, BillListener listener) {
        return read(BillPart.of(file), null, listener, bytes -> { });
    }

    /**
     * @param period   the billing period to allocate ({@code --period}), or null for the bill's own; rows of
     *                 other periods are counted, not handed on (see {@link BillReadReport#needsRereadFor})
     * @param progress receives the number of file bytes consumed so far, now and then
     */
    public BillReadReport read(BillPart part, YearMonth period, BillListener listener, LongConsumer progress) {
        String file = part.name();
        BillSource.Opened opened = BillSource.open(part);
        if (opened.packaging() == BillSource.Packaging.PARQUET) {
            closeSniffed(opened);
            return readParquet(part, period, listener, progress);
        }
        try (opened;
             CsvReader<CsvRecord> csv = CsvReader.builder()
                     .allowExtraFields(true)
                     .allowMissingFields(true)
                     .allowUnclosedQuote(true)
                     .allowExtraCharsAfterClosingQuote(true)
                     .skipEmptyLines(true)
                     .detectBomHeader(true)
                     .ofCsvRecord(opened.csv(), StandardCharsets.UTF_8)) {
            Iterator<CsvRecord> records = csv.iterator();
            if (!records.hasNext()) {
                throw new BillFileException(file, "is empty (no header row)");
            }
            BillLayout layout = BillLayout.detect(file, records.next().getFields(), settings);
            BillScan scan = new BillScan(file, layout, period, listener);
            long rows = 0;
            while (records.hasNext()) {
                CsvRecord record = records.next();
                scan.row(record::getField, record.getFieldCount(), record.getStartingLineNumber());
                if ((++rows & 0xFFFF) == 0) {
                    progress.accept(opened.raw().count());
                }
            }
            progress.accept(opened.raw().count());
            return scan.report(opened.packaging());
        } catch (UncheckedIOException e) {
            throw broken(file, e.getCause());
        } catch (CsvParseException e) {
            throw new BillFileException(file, "is not valid CSV (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw broken(file, e);
        }
    }

    /** Closes the stream that found a part to be Parquet (it was only read for the magic bytes). */
    static void closeSniffed(BillSource.Opened opened) {
        try {
            opened.close();
        } catch (IOException e) {
            // only sniffed: the part is read by position next
        }
    }

    /** A Parquet part: each row's cells as the same bill's CSV has them, through the same scan. */
    private BillReadReport readParquet(BillPart part, YearMonth period, BillListener listener, LongConsumer progress) {
        String file = part.name();
        try (ParquetRecords records = ParquetRecords.open(part)) {
            BillLayout layout = BillLayout.detect(file, records.header(), settings);
            records.project(layout.allColumns(), layout);
            BillScan scan = new BillScan(file, layout, period, listener);
            long rows = 0;
            int fields = records.fieldCount();
            while (records.next()) {
                scan.row(records::text, fields, records.lineNumber());
                if ((++rows & 0xFFFF) == 0) {
                    progress.accept(records.bytesRead());
                }
            }
            progress.accept(records.bytesRead());
            return scan.report(BillSource.Packaging.PARQUET);
        } catch (IOException e) {
            throw new BillFileException(file, "cannot be read as Parquet (" + e.getMessage() + ")", e);
        }
    }

    private static BillFileException broken(String file, IOException e) {
        if (e instanceof EOFException) {
            return new BillFileException(file, "archive is truncated (unexpected end of compressed data)", e);
        }
        if (e instanceof ZipException) {
            return new BillFileException(file, "archive is corrupt (" + e.getMessage() + ")", e);
        }
        return new BillFileException(file, "cannot be read (" + e.getMessage() + ")", e);
    }

}
