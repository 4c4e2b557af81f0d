package dev.tally.billing;

/**
 * Reads the product-area tag from a bill's JSON tag map (CUR 2.0 {@code resource_tags}, FOCUS
 * {@code Tags}) straight from the bytes, for the common form: a flat object of plain ASCII strings,
 * {@code null}s allowed. It gives what {@link BillLayout#tag} gives — the first key, in the given
 * order, whose value trimmed is not empty; a key given twice counts with its last value — and leaves
 * everything else (escapes, numbers, nested values, anything not JSON) to that method.
 */
final class TagMapScanner {
    /** Returned when the map is not in the plain form. */
    static final long NOT_FAST = -1;

    private final byte[][] keys;
    private final int[] valueFrom;
    private final int[] valueTo;

    TagMapScanner(byte[][] keys) {
        this.keys = keys;
        this.valueFrom = new int[keys.length];
        this.valueTo = new int[keys.length];
    }

    /**
     * @return the value's bytes as {@code from << 32 | to} (empty when no key has a value), or
     *         {@link #NOT_FAST}
     */
    long find(byte[] b, int from, int to) {
        for (int k = 0; k < keys.length; k++) {
            valueFrom[k] = -1;
        }
        int p = skipBlank(b, from, to);
        if (p >= to || b[p] != '{') {
            return NOT_FAST;
        }
        p = skipBlank(b, p + 1, to);
        if (p < to && b[p] == '}') {
            p++;
        } else {
            while (true) {
                if (p >= to || b[p] != '"') {
                    return NOT_FAST;
                }
                int keyFrom = p + 1;
                int keyTo = plainString(b, keyFrom, to);
                if (keyTo < 0) {
                    return NOT_FAST;
                }
                p = skipBlank(b, keyTo + 1, to);
                if (p >= to || b[p] != ':') {
                    return NOT_FAST;
                }
                p = skipBlank(b, p + 1, to);
                int key = key(b, keyFrom, keyTo);
                if (p < to && b[p] == '"') {
                    int vFrom = p + 1;
                    int vTo = plainString(b, vFrom, to);
                    if (vTo < 0) {
                        return NOT_FAST;
                    }
                    if (key >= 0) {
                        valueFrom[key] = vFrom;
                        valueTo[key] = vTo;
                    }
                    p = vTo + 1;
                } else if (p + 4 <= to && b[p] == 'n' && b[p + 1] == 'u' && b[p + 2] == 'l' && b[p + 3] == 'l') {
                    if (key >= 0) {
                        valueFrom[key] = -1; // null: no value, as if absent
                    }
                    p += 4;
                } else {
                    return NOT_FAST; // numbers, booleans, objects, arrays: the general reading
                }
                p = skipBlank(b, p, to);
                if (p >= to) {
                    return NOT_FAST;
                }
                if (b[p] == '}') {
                    p++;
                    break;
                }
                if (b[p] != ',') {
                    return NOT_FAST;
                }
                p = skipBlank(b, p + 1, to);
            }
        }
        if (skipBlank(b, p, to) != to) {
            return NOT_FAST;
        }
        for (int k = 0; k < keys.length; k++) {
            if (valueFrom[k] >= 0) {
                int vFrom = valueFrom[k];
                int vTo = valueTo[k];
                while (vFrom < vTo && (b[vFrom] & 0xff) <= ' ') {
                    vFrom++;
                }
                while (vTo > vFrom && (b[vTo - 1] & 0xff) <= ' ') {
                    vTo--;
                }
                if (vFrom < vTo) {
                    return ((long) vFrom << 32) | vTo;
                }
            }
        }
        return 0;
    }

    /** End of a string's content from {@code from}: printable ASCII with no escape; -1 otherwise. */
    private static int plainString(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c == '"') {
                return i;
            }
            if (c == '\\' || c < 0x20) { // also every byte >= 0x80 (negative): non-ASCII is left to the parser
                return -1;
            }
        }
        return -1;
    }

    private int key(byte[] b, int from, int to) {
        outer:
        for (int k = 0; k < keys.length; k++) {
            byte[] key = keys[k];
            if (key.length != to - from) {
                continue;
            }
            for (int i = 0; i < key.length; i++) {
                if (b[from + i] != key[i]) {
                    continue outer;
                }
            }
            return k;
        }
        return -1;
    }

    /** JSON whitespace. */
    private static int skipBlank(byte[] b, int from, int to) {
        while (from < to && (b[from] == ' ' || b[from] == '\t' || b[from] == '\n' || b[from] == '\r')) {
            from++;
        }
        return from;
    }
}
