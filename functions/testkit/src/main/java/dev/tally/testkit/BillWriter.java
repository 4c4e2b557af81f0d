package dev.tally.testkit;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Lays bill rows out in one format. Columns are found by name by the readers; each format has its own order.
 * The subclasses fill every column of {@link #f}; how a row is written out is decided here for all formats:
 * the resource column may be left out ({@code no-resource-ids}), empty cells may be written {@code NULL}
 * ({@code focus-nulls}), and a row's {@link BillRow#costText} replaces its cost column ({@code extra-decimals}).
 */
abstract class BillWriter implements Closeable {
    /** Kinds of malformed rows, in rotation. */
    static final int WRONG_FIELD_COUNT = 0;
    static final int BAD_COST = 1;
    static final int BAD_DATE = 2;

    private static final String[] BAD_COSTS = {"N/A", "1.2.3", "12,34", "0.05USD"};
    private static final String[] BAD_DATES = {"2017-02-30 25:00:00", "not-a-date", "31/02/2017 10:00", "2017-13-01T00:00:00Z"};
    /** What {@code focus-nulls} writes for an empty cell. */
    static final String NULL = "NULL";

    protected final Writer out;
    protected final Times times;
    protected final String tagKey;
    protected final Model.Account payer;
    protected final SplittableRandom ids;
    protected final String[] header;
    protected final String[] f;
    protected final CsvLine line;
    private final int costColumn;
    private final int startColumn;
    private final int resourceColumn;
    /** The column left out of every line ({@code no-resource-ids}), or -1. */
    private int dropped = -1;
    /** Whether empty data cells are written {@code NULL}; {@link #emptyMapColumn} {@code {}} counts as empty. */
    private boolean nulls;
    private int emptyMapColumn = -1;
    private int malformedSeq;
    /** The Parquet file the rows go to instead of {@link #out}, or null. */
    private ParquetRows parquet;

    BillWriter(Writer out, Times times, String tagKey, Model.Account payer, SplittableRandom ids, boolean quoteAll,
               List<String> header, String costColumn, String startColumn, String resourceColumn) {
        this.out = out;
        this.times = times;
        this.tagKey = tagKey;
        this.payer = payer;
        this.ids = ids;
        this.header = header.toArray(new String[0]);
        this.f = new String[this.header.length];
        this.line = new CsvLine(quoteAll);
        this.costColumn = header.indexOf(costColumn);
        this.startColumn = header.indexOf(startColumn);
        this.resourceColumn = header.indexOf(resourceColumn);
        if (this.costColumn < 0 || this.startColumn < 0 || this.resourceColumn < 0) {
            throw new IllegalStateException("header lacks " + costColumn + ", " + startColumn + " or " + resourceColumn);
        }
    }

    /**
     * @param noResourceIds leave the resource column out of the header and every row
     * @param nullCells     write empty data cells (and an empty {@code Tags} map) as {@code NULL} (FOCUS)
     * @param commitments   with the reservation and savings plan columns (CUR, CUR 2.0; FOCUS: the commitment
     *                      discount columns and {@code EffectiveCost} by §8; DBR has none)
     * @param split         with the split line item columns and the ECS tags (CUR, CUR 2.0)
     */
    static BillWriter create(BillFormat format, Writer out, Times times, String tagKey, Model.Account payer,
                             SplittableRandom ids, boolean noResourceIds, boolean nullCells, boolean commitments,
                             boolean split, ParquetRows parquet) {
        BillWriter w;
        switch (format) {
            case DBR:
                w = new DbrWriter(out, times, tagKey, payer, ids);
                break;
            case CUR:
                w = new CurWriter(out, times, tagKey, payer, ids, commitments, split);
                break;
            case CUR2:
                w = new Cur2Writer(out, times, tagKey, payer, ids, commitments, split);
                break;
            default:
                w = new FocusWriter(out, times, tagKey, payer, ids, commitments);
        }
        if (noResourceIds) {
            w.dropped = w.resourceColumn;
        }
        w.parquet = parquet;
        if (nullCells) {
            w.nulls = true;
            w.emptyMapColumn = Arrays.asList(w.header).indexOf("Tags");
        }
        return w;
    }

    /** The header as written (without a dropped column). */
    List<String> header() {
        List<String> h = new ArrayList<>(List.of(header));
        if (dropped >= 0) {
            h.remove(dropped);
        }
        return List.copyOf(h);
    }

    /** Fields per line as written. */
    protected int width() {
        return dropped < 0 ? header.length : header.length - 1;
    }

    void writeHeader() throws IOException {
        if (parquet != null) {
            parquet.header(header());
            return;
        }
        emit(header, width());
    }

    void write(BillRow row) throws IOException {
        Arrays.fill(f, "");
        fill(row);
        if (row.costText != null) {
            f[costColumn] = row.costText;
        }
        writeFields(width());
    }

    /** Writes the first {@code count} fields of {@link #f} that are not left out, as a data line. */
    protected void writeFields(int count) throws IOException {
        if (nulls) {
            for (int i = 0; i < f.length; i++) {
                if (f[i] == null || f[i].isEmpty() || (i == emptyMapColumn && "{}".equals(f[i]))) {
                    f[i] = NULL;
                }
            }
        }
        emit(f, count);
    }

    private void emit(String[] values, int count) throws IOException {
        if (parquet != null) {
            String[] row = new String[count];
            for (int i = 0, n = 0; i < values.length && n < count; i++) {
                if (i != dropped) {
                    row[n++] = values[i];
                }
            }
            parquet.row(row, count);
            return;
        }
        for (int i = 0, n = 0; i < values.length && n < count; i++) {
            if (i != dropped) {
                line.add(values[i]);
                n++;
            }
        }
        line.writeTo(out);
    }

    /** A period column's value: the bill's own ({@code own}) or, for a stray row, its other period's. */
    protected String period(BillRow r, String own, boolean start, Times.Style style) {
        if (r.otherPeriod == null) {
            return own;
        }
        return r.otherPeriod.format(start ? r.otherPeriod.start : r.otherPeriod.end, style);
    }

    /** Writes a row that a reader must reject; returns its kind. */
    int writeMalformed(BillRow row) throws IOException {
        Arrays.fill(f, "");
        fill(row);
        int kind = malformedSeq++ % 3;
        switch (kind) {
            case WRONG_FIELD_COUNT:
                writeFields(width() - 1 - (malformedSeq / 3) % 2);
                break;
            case BAD_COST:
                f[costColumn] = BAD_COSTS[(malformedSeq / 3) % BAD_COSTS.length];
                writeFields(width());
                break;
            default:
                f[startColumn] = BAD_DATES[(malformedSeq / 3) % BAD_DATES.length];
                writeFields(width());
                break;
        }
        return kind;
    }

    protected abstract void fill(BillRow row);

    /** The rows that are not line items (non-DBR formats: blank product names); DBR has its own totals. */
    protected String tagValue(BillRow r) {
        return r.tag == null ? "" : r.tag;
    }

    protected String nameValue(BillRow r) {
        return r.nameTag == null ? "" : r.nameTag;
    }

    protected boolean separateNameTag() {
        return !tagKey.equalsIgnoreCase("Name");
    }

    /** JSON map of tags with the given key prefix, or {@code {}}. */
    protected String tagsJson(BillRow r, String prefix, String nameKey) {
        StringBuilder sb = new StringBuilder(64).append('{');
        boolean any = false;
        // the ECS-managed tags of a split line item (CUR 2.0 keys: aws:ecs:clusterName is aws_ecs_cluster_name)
        if (r.ecsCluster != null) {
            sb.append("\"aws_ecs_cluster_name\":\"").append(jsonEscape(r.ecsCluster)).append('"');
            any = true;
        }
        if (r.ecsService != null) {
            if (any) {
                sb.append(',');
            }
            sb.append("\"aws_ecs_service_name\":\"").append(jsonEscape(r.ecsService)).append('"');
            any = true;
        }
        if (r.nameTag != null && separateNameTag()) {
            if (any) {
                sb.append(',');
            }
            sb.append('"').append(prefix).append(nameKey).append("\":\"").append(jsonEscape(r.nameTag)).append('"');
            any = true;
        }
        if (r.tag != null) {
            if (any) {
                sb.append(',');
            }
            sb.append('"').append(prefix).append(tagKey).append("\":\"").append(jsonEscape(r.tag)).append('"');
        }
        return sb.append('}').toString();
    }

    static String jsonEscape(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20) {
                if (sb == null) {
                    sb = new StringBuilder(s.substring(0, i));
                }
                sb.append(c == '"' ? "\\\"" : c == '\\' ? "\\\\" : String.format("\\u%04x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    @Override
    public void close() throws IOException {
        try {
            if (parquet != null) {
                parquet.close();
            }
        } finally {
            out.close();
        }
    }
}
