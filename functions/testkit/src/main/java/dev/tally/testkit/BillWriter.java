package dev.tally.testkit;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Lays bill rows out in one format. Columns are found by name by the readers; each format has its own order. */
abstract class BillWriter implements Closeable {
    /** Kinds of malformed rows, in rotation. */
    static final int WRONG_FIELD_COUNT = 0;
    static final int BAD_COST = 1;
    static final int BAD_DATE = 2;

    private static final String[] BAD_COSTS = {"N/A", "1.2.3", "12,34", "0.05USD"};
    private static final String[] BAD_DATES = {"2017-02-30 25:00:00", "not-a-date", "31/02/2017 10:00", "2017-13-01T00:00:00Z"};

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
    private int malformedSeq;

    BillWriter(Writer out, Times times, String tagKey, Model.Account payer, SplittableRandom ids, boolean quoteAll,
               List<String> header, String costColumn, String startColumn) {
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
        if (this.costColumn < 0 || this.startColumn < 0) {
            throw new IllegalStateException("header lacks " + costColumn + " or " + startColumn);
        }
    }

    static BillWriter create(BillFormat format, Writer out, Times times, String tagKey, Model.Account payer,
                             SplittableRandom ids) {
        switch (format) {
            case DBR:
                return new DbrWriter(out, times, tagKey, payer, ids);
            case CUR:
                return new CurWriter(out, times, tagKey, payer, ids);
            case CUR2:
                return new Cur2Writer(out, times, tagKey, payer, ids);
            default:
                return new FocusWriter(out, times, tagKey, payer, ids);
        }
    }

    List<String> header() {
        return List.of(header);
    }

    void writeHeader() throws IOException {
        line.addAll(header, header.length).writeTo(out);
    }

    void write(BillRow row) throws IOException {
        Arrays.fill(f, "");
        fill(row);
        line.addAll(f, f.length).writeTo(out);
    }

    /** Writes a row that a reader must reject; returns its kind. */
    int writeMalformed(BillRow row) throws IOException {
        Arrays.fill(f, "");
        fill(row);
        int kind = malformedSeq++ % 3;
        switch (kind) {
            case WRONG_FIELD_COUNT:
                line.addAll(f, f.length - 1 - (malformedSeq / 3) % 2);
                break;
            case BAD_COST:
                f[costColumn] = BAD_COSTS[(malformedSeq / 3) % BAD_COSTS.length];
                line.addAll(f, f.length);
                break;
            default:
                f[startColumn] = BAD_DATES[(malformedSeq / 3) % BAD_DATES.length];
                line.addAll(f, f.length);
                break;
        }
        line.writeTo(out);
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
        if (r.nameTag != null && separateNameTag()) {
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
        out.close();
    }
}
