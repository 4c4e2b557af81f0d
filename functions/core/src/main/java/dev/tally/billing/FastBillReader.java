package dev.tally.billing;

import de.siegmar.fastcsv.reader.CsvReader;
import dev.tally.money.Money;
import dev.tally.money.ScaledMoney;

import java.io.EOFException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.zip.ZipException;

/**
 * The fast way to read a bill, for the same result as {@link BillReader}: decompression
 * ({@link ChunkedInput}) and splitting records into fields ({@link CsvBatches}) run on threads of their
 * own, so the work spreads over the cores; only the columns the allocation needs are looked at; costs and times are parsed from the bytes; text values
 * become ids ({@link BillStrings}) without a String per row. Rows it does not read itself — quoted
 * fields with doubled quotes, JSON map columns that hold the tag, values outside the fast forms —
 * go through the same code as the slow reader ({@link BillScan}), which also keeps the counts and
 * the report, so both readers classify every row the same way.
 */
public final class FastBillReader {
    private static final byte[] LINE_ITEM = BillScan.LINE_ITEM.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] NULL = BillLayout.NULL.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final CsvReader.CsvReaderBuilder SINGLE_RECORD = CsvReader.builder().allowExtraFields(true)
            .allowMissingFields(true).allowUnclosedQuote(true).allowExtraCharsAfterClosingQuote(true);

    private final ReadSettings settings;
    private final BillStrings strings;

    public FastBillReader(String tagKey, BillStrings strings) {
        this(ReadSettings.unblended(tagKey), strings);
    }

    public FastBillReader(ReadSettings settings, BillStrings strings) {
        this.settings = settings;
        this.strings = strings;
    }

    /**
     * A bill opened for reading: its decompression and tokenising have started on their threads, a few
     * batches ahead (so a caller can open it before other work and find it under way). Memory is
     * bounded as in {@link #read}.
     */
    public static final class Reading implements AutoCloseable {
        private final String file;
        private final BillSource.Opened opened;
        private final ChunkedInput decompressed;
        private final CsvBatches scanner;
        /**
         * A Parquet part's rows, decoded on a thread of their own (then {@link #scanner} is null), with the layout
         * found in its schema.
         */
        private final ParquetBatches parquet;
        private final BillLayout parquetLayout;

        private Reading(String file, BillSource.Opened opened, ChunkedInput decompressed, CsvBatches scanner,
                        ParquetBatches parquet, BillLayout parquetLayout) {
            this.file = file;
            this.opened = opened;
            this.decompressed = decompressed;
            this.scanner = scanner;
            this.parquet = parquet;
            this.parquetLayout = parquetLayout;
        }

        private long bytesRead() {
            return parquet != null ? parquet.bytesRead() : opened.raw().count();
        }

        @Override
        public void close() throws IOException {
            if (parquet != null) {
                parquet.close();
                return;
            }
            try {
                scanner.close();
                decompressed.close();
            } finally {
                opened.close();
            }
        }
    }

    /** Opens a bill and starts reading it (see {@link Reading}); a Parquet part's footer is read here. */
    public Reading open(BillPart part) {
        String file = part.name();
        BillSource.Opened opened = BillSource.open(part);
        if (opened.packaging() == BillSource.Packaging.PARQUET) {
            BillReader.closeSniffed(opened);
            ParquetRecords records = ParquetRecords.open(part);
            try {
                BillLayout layout = BillLayout.detect(file, records.header(), settings);
                records.project(layout.allColumns(), layout);
                return new Reading(file, opened, null, null, new ParquetBatches(records, layout.allColumns(), file),
                        layout);
            } catch (RuntimeException | Error e) {
                try {
                    records.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }
        try {
            ChunkedInput decompressed = new ChunkedInput(opened.csv());
            CsvBatches scanner = new CsvBatches(decompressed,
                    header -> BillLayout.detect(file, header, settings).columns());
            return new Reading(file, opened, decompressed, scanner, null, null);
        } catch (RuntimeException | Error e) {
            try {
                opened.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    public BillReadReport read(Path file, YearMonth period, FastRows rows, LongConsumer progress) {
        return read(open(BillPart.of(file)), period, rows, progress);
    }

    /**
     * Reads an opened bill to its end, then closes it.
     *
     * @param period the billing period to allocate, or null for the bill's own (as {@link BillReader#read})
     */
    public BillReadReport read(Reading reading, YearMonth period, FastRows rows, LongConsumer progress) {
        String file = reading.file;
        try (reading) {
            CsvRecords scanner;
            BillLayout layout;
            if (reading.parquet != null) {
                scanner = reading.parquet;
                layout = reading.parquetLayout;
            } else {
                scanner = reading.scanner;
                if (!scanner.next()) {
                    throw new BillFileException(file, "is empty (no header row)");
                }
                layout = BillLayout.detect(file, fields(scanner), settings);
            }
            Pass pass = new Pass(file, layout, period, rows, strings, scanner);
            long count = 0;
            while (scanner.next()) {
                pass.row();
                if ((++count & 0xFFFF) == 0) {
                    progress.accept(reading.bytesRead());
                }
            }
            progress.accept(reading.bytesRead());
            return pass.scan.report(reading.opened.packaging());
        } catch (IOException e) {
            throw broken(file, e);
        }
    }

    private static List<String> fields(CsvRecords scanner) {
        if (!scanner.recordIsPlain()) {
            return SINGLE_RECORD.ofSingleCsvRecord(scanner.recordText()).getFields();
        }
        List<String> fields = new ArrayList<>(scanner.fieldCount());
        for (int i = 0; i < scanner.fieldCount(); i++) {
            fields.add(scanner.text(i));
        }
        return fields;
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

    /** One pass: the fast reading of plain rows, the shared {@link BillScan} for the rest and the counts. */
    private static final class Pass implements BillListener {
        private final BillLayout layout;
        private final FastRows rows;
        private final BillStrings strings;
        private final CsvRecords scanner;
        final BillScan scan;
        private final byte[][] tagKeys;
        private final byte[][] usageTypes;
        /** The columns read as bytes, checked for FOCUS's {@code NULL}. */
        private final int[] read;
        /** The current record's one escaped field, or -1 (see {@link CsvRecords#onlyEscapedField}). */
        private int escaped = -1;

        private final TagMapScanner tagMaps;
        private byte[] unescaped = new byte[256];
        private final InstantCache starts = new InstantCache();
        private final InstantCache ends = new InstantCache();
        private final InstantCache periodStarts = new InstantCache();
        // the period allocated, once known: its bounds, and the text of a period cell that names it
        private long periodStart = Long.MAX_VALUE;
        private long periodEnd = Long.MIN_VALUE;
        private final byte[] periodText = new byte[64];
        private int periodTextLength;

        Pass(String file, BillLayout layout, YearMonth period, FastRows rows, BillStrings strings, CsvRecords scanner) {
            this.layout = layout;
            this.rows = rows;
            this.strings = strings;
            this.scanner = scanner;
            this.scan = new BillScan(file, layout, period, this);
            this.read = layout.columns();
            this.usageTypes = new byte[layout.usageTypes.length][];
            for (int i = 0; i < usageTypes.length; i++) {
                usageTypes[i] = layout.usageTypes[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }
            this.tagKeys = new byte[layout.tagMapKeys.length][];
            for (int i = 0; i < tagKeys.length; i++) {
                tagKeys[i] = layout.tagMapKeys[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            this.tagMaps = new TagMapScanner(tagKeys);
        }

        // ---- rows the shared scan reads (listener side) ----------------------------------------

        @Override
        public void onBillingPeriod(YearMonth period) {
            periodStart = BillingPeriods.startOf(period);
            periodEnd = BillingPeriods.startOf(period.plusMonths(1));
            rows.onBillingPeriod(period);
        }

        @Override
        public void onCostLine(CostLine line) {
            long units = ScaledMoney.fromBigDecimal(line.cost());
            rows.onCostRow(strings.products().intern(line.product()), strings.resources().intern(line.resourceId()),
                    strings.tags().intern(line.tag()), strings.invoices().intern(line.invoiceId()), line.usage(),
                    line.usageStart(), line.usageEnd(), units, units == ScaledMoney.NOT_FAST ? line.cost() : null);
        }

        @Override
        public void onSplitColumns() {
            rows.onSplitColumns();
        }

        @Override
        public void onSplitLine(SplitLine line) {
            long units = ScaledMoney.fromBigDecimal(line.weight());
            rows.onSplitRow(strings.resources().intern(line.parent()), strings.resources().intern(line.task()),
                    strings.tags().intern(line.clusterTag()), strings.tags().intern(line.serviceTag()),
                    line.usageStart(), line.usageEnd(), units, units == ScaledMoney.NOT_FAST ? line.weight() : null);
        }

        // ---- the fast reading -----------------------------------------------------------------------

        void row() {
            long line = scanner.lineNumber();
            int count = scanner.fieldCount();
            if (count != layout.fieldCount) {
                scan.malformed(line, "expected " + layout.fieldCount + " fields, found " + count);
                return;
            }
            escaped = -1;
            unescapedValid = false;
            if (!scanner.recordIsPlain()) {
                // one escaped field the row does not read as bytes (a JSON tag map, say) keeps it fast
                escaped = scanner.onlyEscapedField();
                if (escaped < 0 || layout.readsBytes(escaped)) {
                    slow(line);
                    return;
                }
            }
            if (layout.productMap != BillLayout.ABSENT) {
                slow(line);
                return;
            }
            byte[] b = scanner.buffer();
            if (layout.nullCells && anyNull(b)) {
                slow(line); // FOCUS's NULL cells are made empty by the shared scan
                return;
            }
            if (layout.recordType != BillLayout.ABSENT
                    && !trimmedEquals(b, scanner.start(layout.recordType), scanner.end(layout.recordType), LINE_ITEM)) {
                scan.skip(scanner.text(layout.recordType).trim(), this::text);
                return;
            }
            int productFrom = trimStart(b, scanner.start(layout.product), scanner.end(layout.product));
            int productTo = trimEnd(b, productFrom, scanner.end(layout.product));
            if (productFrom == productTo) {
                scan.skip("", this::text);
                return;
            }
            int amortizedFrom = AmortizedCost.UNBLENDED;
            if (layout.amortized != null) {
                amortizedFrom = amortizedSource(b);
                if (amortizedFrom == AmortizedCost.BY_ROW) {
                    slow(line);
                    return;
                }
            }
            long amount = amount(b, layout.cost);
            BigDecimal asWritten = null;
            BigDecimal rounded = null;
            BigDecimal bigAmount = null;
            try {
                if (amount == ScaledMoney.NOT_FAST) {
                    asWritten = BillScan.parseCost(scanner.text(layout.cost));
                    rounded = Money.round(asWritten);
                    amount = ScaledMoney.fromBigDecimal(rounded);
                    bigAmount = amount == ScaledMoney.NOT_FAST ? rounded : null;
                }
                long start = layout.usageStart == BillLayout.ABSENT ? BillScan.NO_TIME : startMillis(b);
                long end = layout.usageEnd == BillLayout.ABSENT ? BillScan.NO_TIME : endMillis(b);
                if (!inPeriod(b, start)) {
                    int month = month(b, start);
                    if (!scan.periods.isCurrent(month)) {
                        scan.periods.other(month, rounded != null ? rounded : ScaledMoney.toBigDecimal(amount));
                        return;
                    }
                    rememberPeriodCell(b);
                }
                if (start == BillScan.NO_TIME) {
                    start = scan.periods.start();
                }
                if (end == BillScan.NO_TIME) {
                    end = scan.periods.end();
                }
                long invoiced = amount;
                BigDecimal bigInvoiced = bigAmount;
                if (amortizedFrom != AmortizedCost.UNBLENDED) {
                    asWritten = null;
                    rounded = null;
                    bigAmount = null;
                    if (amortizedFrom == AmortizedCost.ZERO) {
                        amount = 0;
                    } else {
                        amount = amount(b, amortizedFrom);
                        if (amount == ScaledMoney.NOT_FAST) {
                            String cell = scanner.text(amortizedFrom);
                            asWritten = cell.isBlank() ? Money.ZERO : BillScan.parseCost(cell);
                            rounded = Money.round(asWritten);
                            amount = ScaledMoney.fromBigDecimal(rounded);
                            bigAmount = amount == ScaledMoney.NOT_FAST ? rounded : null;
                        }
                    }
                }
                int tag = tag(b);
                int invoice = internTrimmed(strings.invoices(), b, layout.invoiceId);
                int resource = internTrimmed(strings.resources(), b, layout.resourceId);
                boolean usage = resource == ByteInterner.EMPTY && layout.chargeType != BillLayout.ABSENT && isUsage(b);
                int product = intern(strings.products(), layout.product, b, productFrom, productTo);
                if (scan.providers() != null) {
                    provider(b, invoiced, bigInvoiced);
                }
                if (layout.split != null) {
                    splitRow(b, resource, start, end);
                }
                scan.countLineItem(asWritten, rounded);
                if (bigInvoiced == null) {
                    scan.countInvoiced(invoiced);
                } else {
                    scan.countInvoiced(bigInvoiced);
                }
                rows.onCostRow(product, resource, tag, invoice, usage, start, end, amount, bigAmount);
            } catch (MalformedRowException e) {
                scan.malformed(line, e.getMessage());
            }
        }

        /** Tells the row's split line item (§9), if it is one, as {@link SplitColumns#read} reads it. */
        private void splitRow(byte[] b, int task, long start, long end) throws MalformedRowException {
            SplitColumns split = layout.split;
            int from = trimStart(b, scanner.start(split.parent), scanner.end(split.parent));
            int to = trimEnd(b, from, scanner.end(split.parent));
            if (from == to) {
                return;
            }
            int parent = intern(strings.resources(), split.parent, b, from, to);
            long cost = splitAmount(b, split.splitCost);
            long unused = splitAmount(b, split.unusedCost);
            long weight = cost + unused;
            BigDecimal bigWeight = null;
            if (cost == ScaledMoney.NOT_FAST || unused == ScaledMoney.NOT_FAST
                    || ((cost ^ weight) & (unused ^ weight)) < 0 || weight == ScaledMoney.NOT_FAST) {
                bigWeight = splitDecimal(split.splitCost).add(splitDecimal(split.unusedCost));
                weight = ScaledMoney.fromBigDecimal(bigWeight);
                if (weight != ScaledMoney.NOT_FAST) {
                    bigWeight = null;
                }
            }
            int cluster = splitTag(b, true);
            int service = splitTag(b, false);
            rows.onSplitRow(parent, task, cluster, service, start, end, weight, bigWeight);
        }

        private long splitAmount(byte[] b, int column) {
            if (column == BillLayout.ABSENT) {
                return 0;
            }
            int from = trimStart(b, scanner.start(column), scanner.end(column));
            int to = trimEnd(b, from, scanner.end(column));
            return from == to ? 0 : amount(b, column);
        }

        private BigDecimal splitDecimal(int column) throws MalformedRowException {
            if (column == BillLayout.ABSENT) {
                return Money.ZERO;
            }
            String cell = scanner.text(column);
            return cell.isBlank() ? Money.ZERO : Money.round(BillScan.parseCost(cell));
        }

        private final byte[][] clusterKeys = {SplitColumns.CLUSTER_KEY_BYTES};
        private final byte[][] serviceKeys = {SplitColumns.SERVICE_KEY_BYTES};
        private final TagMapScanner clusterTags = new TagMapScanner(clusterKeys);
        private final TagMapScanner serviceTags = new TagMapScanner(serviceKeys);

        /** An ECS-managed tag of a split line item: its flat column, else its key in the tag map. */
        private int splitTag(byte[] b, boolean cluster) throws MalformedRowException {
            int flat = flatTag(b, cluster ? layout.split.clusterTag : layout.split.serviceTag);
            int column = layout.split.tagMap;
            if (flat != ByteInterner.EMPTY || column == BillLayout.ABSENT) {
                return flat;
            }
            return cluster
                    ? mapTag(b, column, clusterTags, clusterKeys, CLUSTER_TAG)
                    : mapTag(b, column, serviceTags, serviceKeys, SERVICE_TAG);
        }

        /** A field's amount as {@link ScaledMoney#parse} reads its bytes (a typed source gives it as it is). */
        private long amount(byte[] b, int field) {
            long typed = scanner.scaledAmount(field);
            return typed != ScaledMoney.NOT_FAST ? typed : ScaledMoney.parse(b, scanner.start(field), scanner.end(field));
        }

        /**
         * Where a row's amortized amount comes from ({@link AmortizedCost#kind}); a DBR sign-up charge, left
         * to the upfront ledger, is one of the rare rows {@link AmortizedCost#BY_ROW} the shared scan reads.
         */
        private int amortizedSource(byte[] b) {
            AmortizedCost rule = layout.amortized;
            int description = rule.itemDescription();
            if (description != BillLayout.ABSENT) {
                return rule.isSignUpCharge(b, scanner.start(description), scanner.end(description))
                        ? AmortizedCost.BY_ROW : AmortizedCost.UNBLENDED;
            }
            if (layout.chargeType == BillLayout.ABSENT) {
                return rule.kind(b, 0, 0);
            }
            int from = trimStart(b, scanner.start(layout.chargeType), scanner.end(layout.chargeType));
            return rule.kind(b, from, trimEnd(b, from, scanner.end(layout.chargeType)));
        }

        /**
         * Whether a row is surely of the period allocated, at the cost of a comparison: its period cell is
         * the text of one already found to be, or (no period column) its usage starts within the period.
         * Otherwise {@link #month} decides.
         */
        private boolean inPeriod(byte[] b, long start) {
            int column = layout.billingPeriodStart;
            if (column == BillLayout.ABSENT) {
                return start >= periodStart && start < periodEnd;
            }
            int from = scanner.start(column);
            int to = scanner.end(column);
            return periodTextLength > 0 && to - from == periodTextLength
                    && java.util.Arrays.equals(b, from, to, periodText, 0, periodTextLength);
        }

        private void rememberPeriodCell(byte[] b) {
            int column = layout.billingPeriodStart;
            if (column == BillLayout.ABSENT) {
                return;
            }
            int from = scanner.start(column);
            int to = scanner.end(column);
            if (trimStart(b, from, to) < to && to - from <= periodText.length) {
                System.arraycopy(b, from, periodText, 0, to - from);
                periodTextLength = to - from;
            }
        }

        /** The month of a row, as {@link BillScan#rowMonth} finds it. */
        private int month(byte[] b, long start) throws MalformedRowException {
            int column = layout.billingPeriodStart;
            if (column != BillLayout.ABSENT
                    && trimStart(b, scanner.start(column), scanner.end(column)) < scanner.end(column)) {
                return scan.periods.monthOf(periodStarts.millis(b, scanner.start(column), scanner.end(column), column,
                        "billing period start"));
            }
            return start == BillScan.NO_TIME ? BillingPeriods.UNKNOWN : scan.periods.monthOf(start);
        }

        private boolean anyNull(byte[] b) {
            for (int column : read) {
                int from = scanner.start(column);
                int to = scanner.end(column);
                if (from < to && (b[from] == 'N' || (b[from] & 0xff) <= ' ') && trimmedEquals(b, from, to, NULL)) {
                    return true;
                }
            }
            return false;
        }

        private boolean isUsage(byte[] b) {
            if (!layout.readsChargeTypeOfEveryRow()) {
                return layout.isUsage(scanner.text(layout.chargeType).trim()); // a column the reader did not keep
            }
            int from = trimStart(b, scanner.start(layout.chargeType), scanner.end(layout.chargeType));
            int to = trimEnd(b, from, scanner.end(layout.chargeType));
            for (byte[] type : usageTypes) {
                if (to - from == type.length && java.util.Arrays.equals(b, from, to, type, 0, type.length)) {
                    return true;
                }
            }
            return false;
        }

        private void provider(byte[] b, long amount, BigDecimal bigAmount) {
            int from = trimStart(b, scanner.start(layout.provider), scanner.end(layout.provider));
            int to = trimEnd(b, from, scanner.end(layout.provider));
            if (bigAmount == null) {
                scan.providers().add(b, from, to, amount);
            } else {
                scan.providers().add(new String(b, from, to - from, java.nio.charset.StandardCharsets.UTF_8), bigAmount);
            }
        }

        /** The value of a field as the library would give it (the escaped field, if any, unescaped). */
        private String text(int field) {
            String raw = scanner.text(field);
            return field == escaped ? raw.replace("\"\"", "\"") : raw;
        }

        private void slow(long line) {
            if (scanner.recordIsPlain()) {
                scan.row(this::text, scanner.fieldCount(), line);
            } else {
                List<String> fields = SINGLE_RECORD.ofSingleCsvRecord(scanner.recordText()).getFields();
                scan.row(fields::get, fields.size(), line);
            }
        }

        private long startMillis(byte[] b) throws MalformedRowException {
            long typed = scanner.epochMillis(layout.usageStart);
            if (typed != FastInstants.NOT_FAST) {
                return typed;
            }
            return starts.millis(b, scanner.start(layout.usageStart), scanner.end(layout.usageStart),
                    layout.usageStart, "usage start");
        }

        private long endMillis(byte[] b) throws MalformedRowException {
            long typed = scanner.epochMillis(layout.usageEnd);
            if (typed != FastInstants.NOT_FAST) {
                return typed;
            }
            return ends.millis(b, scanner.start(layout.usageEnd), scanner.end(layout.usageEnd),
                    layout.usageEnd, "usage end");
        }

        /** The last time text of a column and its value: consecutive rows often repeat it. */
        private final class InstantCache {
            private final byte[] text = new byte[32];
            private int length = -1;
            private long millis;

            long millis(byte[] b, int from, int to, int field, String what) throws MalformedRowException {
                if (to - from == length && java.util.Arrays.equals(b, from, to, text, 0, length)) {
                    return millis;
                }
                long value = instant(b, from, to, field, what);
                if (to - from <= text.length) {
                    System.arraycopy(b, from, text, 0, to - from);
                    length = to - from;
                    millis = value;
                }
                return value;
            }
        }

        private long instant(byte[] b, int from, int to, int field, String what) throws MalformedRowException {
            long millis = FastInstants.parse(b, from, to);
            return millis != FastInstants.NOT_FAST ? millis : BillScan.parseInstant(scanner.text(field), what);
        }

        /** The product-area tag: a plain column read in place, a JSON map only when it names the key. */
        private int tag(byte[] b) throws MalformedRowException {
            int flat = flatTag(b, layout.tag);
            if (flat != ByteInterner.EMPTY || layout.tagMap == BillLayout.ABSENT) {
                return flat;
            }
            int id = scanner.dictionaryId(layout.tagMap);
            if (id < 0) {
                return mapTag(b, layout.tagMap, tagMaps, tagKeys, AREA_TAG);
            }
            // a columnar map cell with a dictionary id: the same id, the same text, so the same tag
            int generation = scanner.dictionaryGeneration();
            int known = dictionaryInterns.known(layout.tagMap, id, generation);
            if (known < 0) {
                known = mapTag(b, layout.tagMap, tagMaps, tagKeys, AREA_TAG);
                dictionaryInterns.remember(layout.tagMap, id, generation, known);
            }
            return known;
        }

        /** A tag cell in a plain column, interned; empty when the column is absent or the cell blank. */
        private int flatTag(byte[] b, int column) {
            if (column == BillLayout.ABSENT) {
                return ByteInterner.EMPTY;
            }
            int from = trimStart(b, scanner.start(column), scanner.end(column));
            int to = trimEnd(b, from, scanner.end(column));
            return from < to ? intern(strings.tags(), column, b, from, to) : ByteInterner.EMPTY;
        }

        /** Which tag {@link #mapTag} reads, for the shared scan's reading of a map it cannot read in place. */
        private static final int AREA_TAG = 0;
        private static final int CLUSTER_TAG = 1;
        private static final int SERVICE_TAG = 2;

        /**
         * A tag in a JSON map column, read in place when the map names one of {@code keys} in the plain form, else
         * as the shared scan reads it (kept out of {@link #tag} so the row path stays small).
         */
        private int mapTag(byte[] b, int column, TagMapScanner maps, byte[][] keys, int which)
                throws MalformedRowException {
            int from = scanner.start(column);
            int to = scanner.end(column);
            if (trimStart(b, from, to) == to || !containsAny(b, from, to, keys)) {
                return ByteInterner.EMPTY;
            }
            byte[] map = b;
            if (escaped == column) {
                map = unescape(b, from, to);
                from = 0;
                to = unescapedLength;
            }
            long value = maps.find(map, from, to);
            if (value != TagMapScanner.NOT_FAST) {
                return value == 0 ? ByteInterner.EMPTY : strings.tags().intern(map, (int) (value >>> 32), (int) value);
            }
            String text = which == AREA_TAG ? layout.tag(this::text)
                    : layout.split.tag(this::text, which == CLUSTER_TAG);
            return strings.tags().intern(text);
        }

        private int unescapedLength;
        /** Whether {@link #unescaped} holds this row's escaped field (the tag map is read for up to three keys). */
        private boolean unescapedValid;

        /**
         * The row's one escaped field with its doubled quotes made single, in a buffer of our own
         * ({@link #unescapedLength} long); made once per row.
         */
        private byte[] unescape(byte[] b, int from, int to) {
            if (unescapedValid) {
                return unescaped;
            }
            unescapedValid = true;
            int n = 0;
            if (unescaped.length < to - from) {
                unescaped = new byte[Math.max(to - from, unescaped.length * 2)];
            }
            for (int i = from; i < to; i++) {
                unescaped[n++] = b[i];
                if (b[i] == '"' && i + 1 < to && b[i + 1] == '"') {
                    i++;
                }
            }
            unescapedLength = n;
            return unescaped;
        }

        private static boolean containsAny(byte[] b, int from, int to, byte[][] keys) {
            for (byte[] key : keys) {
                if (indexOf(b, from, to, key) >= 0) {
                    return true;
                }
            }
            return false;
        }

        private int internTrimmed(ByteInterner interner, byte[] b, int field) {
            if (field == BillLayout.ABSENT) {
                return ByteInterner.EMPTY;
            }
            int from = trimStart(b, scanner.start(field), scanner.end(field));
            return intern(interner, field, b, from, trimEnd(b, from, scanner.end(field)));
        }

        /** {@code b[from, to)} of a field interned; by its dictionary id when the source has one (Parquet). */
        private int intern(ByteInterner interner, int field, byte[] b, int from, int to) {
            int id = scanner.dictionaryId(field);
            if (id < 0) {
                return interner.intern(b, from, to);
            }
            return dictionaryInterns.get(field, id, scanner.dictionaryGeneration(), interner, b, from, to);
        }

        private final DictionaryInterns dictionaryInterns = new DictionaryInterns();
    }

    /** Trims as {@link String#trim()} does: every byte up to and including space. */
    static int trimStart(byte[] b, int from, int to) {
        while (from < to && (b[from] & 0xff) <= ' ') {
            from++;
        }
        return from;
    }

    static int trimEnd(byte[] b, int from, int to) {
        while (to > from && (b[to - 1] & 0xff) <= ' ') {
            to--;
        }
        return to;
    }

    private static boolean trimmedEquals(byte[] b, int from, int to, byte[] expected) {
        int start = trimStart(b, from, to);
        int end = trimEnd(b, start, to);
        return end - start == expected.length && java.util.Arrays.equals(b, start, end, expected, 0, expected.length);
    }

    private static int indexOf(byte[] b, int from, int to, byte[] key) {
        outer:
        for (int i = from; i <= to - key.length; i++) {
            for (int k = 0; k < key.length; k++) {
                if (b[i + k] != key[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }


    /**
     * Interned ids by field and dictionary id, valid for one dictionary generation (a Parquet row group): each
     * dictionary entry's bytes are interned once per row group instead of on every row.
     */
    private static final class DictionaryInterns {
        private int[][] ids = new int[0][];
        private int[][] generations = new int[0][];

        int get(int field, int id, int generation, ByteInterner interner, byte[] b, int from, int to) {
            int known = known(field, id, generation);
            if (known >= 0) {
                return known;
            }
            int interned = interner.intern(b, from, to);
            remember(field, id, generation, interned);
            return interned;
        }

        /** The id remembered for the field's dictionary id in this generation, or -1. */
        int known(int field, int id, int generation) {
            if (field >= ids.length) {
                return -1;
            }
            int[] byId = ids[field];
            return byId != null && id < byId.length && generations[field][id] == generation + 1 ? byId[id] : -1;
        }

        void remember(int field, int id, int generation, int interned) {
            if (field >= ids.length) {
                ids = java.util.Arrays.copyOf(ids, field + 1);
                generations = java.util.Arrays.copyOf(generations, field + 1);
            }
            int[] byId = ids[field];
            if (byId == null || id >= byId.length) {
                int size = Math.max(id + 1, byId == null ? 256 : byId.length * 2);
                ids[field] = byId = byId == null ? new int[size] : java.util.Arrays.copyOf(byId, size);
                generations[field] = generations[field] == null ? new int[size]
                        : java.util.Arrays.copyOf(generations[field], size);
            }
            byId[id] = interned;
            generations[field][id] = generation + 1;
        }
    }
}
