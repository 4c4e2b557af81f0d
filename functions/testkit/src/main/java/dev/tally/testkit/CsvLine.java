package dev.tally.testkit;

import java.io.IOException;
import java.io.Writer;

/** Builds one CSV record (RFC 4180 quoting, {@code \n} line ends) and writes it. Reused per row. */
final class CsvLine {
    private final StringBuilder sb = new StringBuilder(1024);
    private final boolean quoteAll;
    private boolean first = true;
    private char[] chars = new char[2048];

    CsvLine(boolean quoteAll) {
        this.quoteAll = quoteAll;
    }

    CsvLine add(String value) {
        if (!first) {
            sb.append(',');
        }
        first = false;
        String v = value == null ? "" : value;
        if (quoteAll || needsQuotes(v)) {
            sb.append('"');
            if (v.indexOf('"') < 0) {
                sb.append(v);
            } else {
                for (int i = 0; i < v.length(); i++) {
                    char c = v.charAt(i);
                    if (c == '"') {
                        sb.append('"');
                    }
                    sb.append(c);
                }
            }
            sb.append('"');
        } else {
            sb.append(v);
        }
        return this;
    }

    CsvLine addAll(String[] values, int count) {
        for (int i = 0; i < count; i++) {
            add(values[i]);
        }
        return this;
    }

    void writeTo(Writer out) throws IOException {
        sb.append('\n');
        int n = sb.length();
        if (chars.length < n) {
            chars = new char[Math.max(n, chars.length * 2)];
        }
        sb.getChars(0, n, chars, 0);
        out.write(chars, 0, n);
        sb.setLength(0);
        first = true;
    }

    private static boolean needsQuotes(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return true;
            }
        }
        return !v.isEmpty() && (v.charAt(0) == ' ' || v.charAt(v.length() - 1) == ' ');
    }
}
