package dev.tally.billing;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.tally.money.Money;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.zip.ZipException;

/**
 * Streams a bill: one row in memory at a time, whatever the file's size. Rows that are not cost
 * line items are counted as skipped; rows that cannot be parsed are counted and reported by line
 * number, and reading goes on (allocation contract §2). A file that cannot be read as a bill at all
 * fails with a {@link BillFileException} naming the file and the reason.
 */
public final class BillReader {
    private static final Logger LOG = LoggerFactory.getLogger(BillReader.class);
    private static final String LINE_ITEM = "LineItem";
    private static final String INVOICE_TOTAL = "InvoiceTotal";
    private static final int LOGGED_MALFORMED = 20;

    private final String tagKey;

    /** @param tagKey the cost-allocation tag that names a product area, without {@code user:} */
    public BillReader(String tagKey) {
        if (tagKey == null || tagKey.isBlank()) {
            throw new IllegalArgumentException("tag key must not be empty");
        }
        this.tagKey = tagKey.trim();
    }

    public BillReadReport read(Path file, BillListener listener) {
        return read(file, listener, bytes -> { });
    }

    /**
     * @param progress receives the number of file bytes consumed so far, now and then
     */
    public BillReadReport read(Path file, BillListener listener, LongConsumer progress) {
        try (BillSource.Opened opened = BillSource.open(file);
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
            BillLayout layout = BillLayout.detect(file, records.next().getFields(), tagKey);
            Scan scan = new Scan(layout, listener);
            long rows = 0;
            while (records.hasNext()) {
                scan.row(records.next());
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

    private static BillFileException broken(Path file, IOException e) {
        if (e instanceof EOFException) {
            return new BillFileException(file, "archive is truncated (unexpected end of compressed data)", e);
        }
        if (e instanceof ZipException) {
            return new BillFileException(file, "archive is corrupt (" + e.getMessage() + ")", e);
        }
        return new BillFileException(file, "cannot be read (" + e.getMessage() + ")", e);
    }

    /** State of one pass over a bill. */
    private static final class Scan {
        private final BillLayout layout;
        private final BillListener listener;
        private final List<BillReadReport.MalformedRow> malformed = new ArrayList<>();
        private final Map<String, BigDecimal> invoiceTotals = new TreeMap<>();
        private YearMonth period;
        private long lineItems;
        private long skipped;
        private long malformedCount;

        Scan(BillLayout layout, BillListener listener) {
            this.layout = layout;
            this.listener = listener;
        }

        void row(CsvRecord record) {
            long line = record.getStartingLineNumber();
            if (record.getFieldCount() != layout.fieldCount) {
                malformed(line, "expected " + layout.fieldCount + " fields, found " + record.getFieldCount());
                return;
            }
            BillLayout.Fields fields = record::getField;
            try {
                String product = layout.product(fields);
                if (layout.recordType != BillLayout.ABSENT) {
                    String recordType = record.getField(layout.recordType).trim();
                    if (!LINE_ITEM.equals(recordType)) {
                        skip(recordType, fields);
                        return;
                    }
                }
                if (product.isEmpty()) {
                    skip("", fields);
                    return;
                }
                BigDecimal cost = parseCost(record.getField(layout.cost));
                long start = parseInstant(record.getField(layout.usageStart), "usage start");
                long end = parseInstant(record.getField(layout.usageEnd), "usage end");
                String invoice = layout.invoiceId == BillLayout.ABSENT ? "" : record.getField(layout.invoiceId).trim();
                String resource = record.getField(layout.resourceId).trim();
                String tag = layout.tag(fields);
                if (period == null) {
                    period = billingPeriod(record, start);
                    listener.onBillingPeriod(period);
                }
                lineItems++;
                listener.onCostLine(new CostLine(line, invoice, product, resource, tag, start, end, cost));
            } catch (MalformedRowException e) {
                malformed(line, e.getMessage());
            }
        }

        private YearMonth billingPeriod(CsvRecord record, long usageStart) {
            if (layout.billingPeriodStart != BillLayout.ABSENT) {
                String stated = record.getField(layout.billingPeriodStart).trim();
                if (!stated.isEmpty()) {
                    try {
                        return month(Timestamps.parseMillis(stated));
                    } catch (DateTimeParseException e) {
                        LOG.warn("line {}: unparseable billing period start, using the usage start's month",
                                record.getStartingLineNumber());
                    }
                }
            }
            return month(usageStart);
        }

        private static YearMonth month(long epochMillis) {
            return YearMonth.from(Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC));
        }

        private void skip(String recordType, BillLayout.Fields fields) {
            skipped++;
            if (INVOICE_TOTAL.equals(recordType) && layout.invoiceId != BillLayout.ABSENT) {
                try {
                    invoiceTotals.merge(fields.get(layout.invoiceId).trim(),
                            Money.parse(fields.get(layout.cost)), BigDecimal::add);
                } catch (NumberFormatException e) {
                    // a total we cannot read is simply not reconciled
                }
            }
        }

        private void malformed(long line, String reason) {
            malformedCount++;
            if (malformed.size() < BillReadReport.MAX_REPORTED_MALFORMED) {
                malformed.add(new BillReadReport.MalformedRow(line, reason));
            }
            if (malformedCount <= LOGGED_MALFORMED) {
                LOG.warn("line {}: malformed row skipped: {}", line, reason);
            } else if (malformedCount == LOGGED_MALFORMED + 1) {
                LOG.warn("more malformed rows; the rest are only counted and listed in the report");
            }
        }

        private static BigDecimal parseCost(String text) throws MalformedRowException {
            try {
                return Money.parse(text);
            } catch (NumberFormatException e) {
                throw new MalformedRowException("unparseable cost");
            }
        }

        private static long parseInstant(String text, String what) throws MalformedRowException {
            try {
                return Timestamps.parseMillis(text);
            } catch (DateTimeParseException e) {
                throw new MalformedRowException("unparseable " + what + " date");
            }
        }

        BillReadReport report(BillSource.Packaging packaging) {
            return new BillReadReport(layout.format, packaging, period, lineItems, skipped, malformedCount,
                    List.copyOf(malformed), Collections.unmodifiableMap(invoiceTotals));
        }
    }
}
