package dev.tally.history;

import dev.tally.bytes.Swar;

import java.nio.charset.StandardCharsets;

/**
 * A position in the bytes of one JSON value, with what the event scanners share: whitespace,
 * expected characters, strings (skipped or decoded), numbers checked against the JSON grammar, and
 * skipping any value while checking that it is JSON — so a line that is not valid JSON is never
 * taken as an event. Anything outside the plain forms throws {@link NotFast}: the line then goes
 * to Jackson.
 */
abstract class JsonCursor {
    final byte[] b;
    int pos;
    final int end;

    JsonCursor(byte[] bytes, int from, int to) {
        this.b = bytes;
        this.pos = from;
        this.end = to;
    }

    /** Signals input the fast scanners leave to Jackson. */
    static final class NotFast extends Exception {
        private static final long serialVersionUID = 1L;
        static final NotFast INSTANCE = new NotFast();

        private NotFast() {
            super(null, null, false, false);
        }
    }

    /**
     * Moves past a JSON number, checking its grammar.
     *
     * @return true if it is integral (no fraction, no exponent)
     */
    boolean scanNumber() throws NotFast {
        if (b[pos] == '-') {
            pos++;
        }
        int intStart = pos;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            pos++;
        }
        int intDigits = pos - intStart;
        if (intDigits == 0 || (intDigits > 1 && b[intStart] == '0')) {
            throw NotFast.INSTANCE;
        }
        boolean integral = true;
        if (pos < end && b[pos] == '.') {
            integral = false;
            pos++;
            int fraction = pos;
            while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
                pos++;
            }
            if (pos == fraction) {
                throw NotFast.INSTANCE;
            }
        }
        if (pos < end && (b[pos] == 'e' || b[pos] == 'E')) {
            integral = false;
            pos++;
            if (pos < end && (b[pos] == '+' || b[pos] == '-')) {
                pos++;
            }
            int exponent = pos;
            while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
                pos++;
            }
            if (pos == exponent) {
                throw NotFast.INSTANCE;
            }
        }
        return integral;
    }

    boolean literal(String word) {
        int n = word.length();
        if (pos + n > end) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        pos += n;
        return true;
    }

    /**
     * Moves to the first byte from {@code pos} that ends a plain run inside a string (see
     * {@link Swar#jsonStringStop}); an unterminated string is not the plain form, so nothing past the
     * value's bound is ever read.
     */
    int stringStop() throws NotFast {
        int stop = Swar.jsonStringStop(b, pos, end);
        if (stop >= end) {
            throw NotFast.INSTANCE;
        }
        return stop;
    }

    /** A string whose value is needed: decoded, escapes included. */
    String string() throws NotFast {
        expect('"');
        int start = pos;
        while (true) {
            pos = stringStop();
            byte c = b[pos];
            if (c == '"') {
                String value = new String(b, start, pos - start, StandardCharsets.US_ASCII);
                pos++;
                return value;
            }
            if (c == '\\') {
                return escapedString(start);
            }
            if (c < 0x20) {
                throw NotFast.INSTANCE;
            }
            pos++;
        }
    }

    String escapedString(int start) throws NotFast {
        StringBuilder value = new StringBuilder(pos - start + 16);
        for (int i = start; i < pos; i++) {
            value.append((char) b[i]);
        }
        while (true) {
            if (pos >= end) {
                throw NotFast.INSTANCE;
            }
            byte c = b[pos++];
            if (c == '"') {
                return value.toString();
            }
            if (c < 0x20) {
                throw NotFast.INSTANCE;
            }
            if (c != '\\') {
                value.append((char) c);
                continue;
            }
            byte e = b[pos++];
            switch (e) {
                case '"', '\\', '/' -> value.append((char) e);
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' -> {
                    int code = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(b[pos++], 16);
                        if (d < 0) {
                            throw NotFast.INSTANCE;
                        }
                        code = code * 16 + d;
                    }
                    if (Character.isSurrogate((char) code)) {
                        throw NotFast.INSTANCE;
                    }
                    value.append((char) code);
                }
                default -> throw NotFast.INSTANCE;
            }
        }
    }

    /** Skips any value, checking only what makes it JSON. */
    void skip() throws NotFast {
        byte c = peek();
        if (c == '"') {
            skipString();
        } else if (c == '{' || c == '[') {
            skipContainer();
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            scanNumber();
        } else if (!literal("true") && !literal("false") && !literal("null")) {
            throw NotFast.INSTANCE;
        }
    }

    void skipString() throws NotFast {
        pos++;
        while (true) {
            pos = stringStop();
            byte c = b[pos++];
            if (c == '"') {
                return;
            }
            if (c == '\\') {
                byte e = b[pos++];
                if (e == 'u') {
                    for (int i = 0; i < 4; i++) {
                        if (Character.digit(b[pos++], 16) < 0) {
                            throw NotFast.INSTANCE;
                        }
                    }
                } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r'
                        && e != 't') {
                    throw NotFast.INSTANCE;
                }
            } else if (c < 0x20) {
                throw NotFast.INSTANCE;
            }
        }
    }

    void skipContainer() throws NotFast {
        byte open = b[pos++];
        byte close = open == '{' ? (byte) '}' : (byte) ']';
        whitespace();
        if (peek() == close) {
            pos++;
            return;
        }
        while (true) {
            if (open == '{') {
                if (peek() != '"') {
                    throw NotFast.INSTANCE;
                }
                skipString();
                whitespace();
                expect(':');
                whitespace();
            }
            skip();
            whitespace();
            byte c = next();
            if (c == close) {
                return;
            }
            if (c != ',') {
                throw NotFast.INSTANCE;
            }
            whitespace();
        }
    }

    /** Set when scanning from a line's start without knowing its end: CR and LF then end the line. */
    boolean lineMode;

    void whitespace() {
        while (pos < end) {
            byte c = b[pos];
            if ((c & 0xff) > ' ') {
                return; // the common case: no whitespace between tokens
            }
            if (c != ' ' && c != '\t' && (lineMode || c != '\n' && c != '\r')) {
                return;
            }
            pos++;
        }
    }

    byte peek() throws NotFast {
        if (pos >= end) {
            throw NotFast.INSTANCE;
        }
        return b[pos];
    }

    byte next() throws NotFast {
        if (pos >= end) {
            throw NotFast.INSTANCE;
        }
        return b[pos++];
    }

    void expect(char c) throws NotFast {
        if (next() != c) {
            throw NotFast.INSTANCE;
        }
    }
}
