package dev.tally.history;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Reads one event (a JSON object on one line) keeping only the fields {@link EventParser} reads, at
 * several times the speed of a general JSON parser: most of an event's bytes are strings the history
 * does not need, and this scanner skips them with a tight loop.
 *
 * <p>It handles the common case only — plain ASCII, well-formed JSON, values of the expected kind —
 * and returns {@code null} for anything else, so the caller parses that line with Jackson (through
 * {@link EventFieldFilter}). Both ways build the same small tree, and the parser sees the same values.
 */
final class FastEventScanner extends JsonCursor {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> SCALARS = Set.of("detail-type", "time", "eventName", "eventSource", "eventTime",
            "errorCode");
    private static final Set<String> DETAIL_SCALARS = Set.of("taskArn", "version", "clusterArn", "group",
            "containerInstanceArn", "cpu", "startedAt", "stoppedAt", "state", "instance-id", "ec2InstanceId",
            "eventName", "eventSource", "eventTime", "errorCode");
    private static final Set<String> CALL_FIELDS = Set.of("volumeId", "instanceId", "attachTime");

    private FastEventScanner(byte[] bytes, int from, int to) {
        super(bytes, from, to);
    }

    /** The event's needed fields, or null if the line is not in the simple form this scanner reads. */
    static JsonNode scan(byte[] bytes, int from, int to) {
        // Non-ASCII bytes (negative) fail every check below: in strings as control characters (< 0x20),
        // elsewhere as bytes JSON does not allow; so such lines always go to Jackson.
        FastEventScanner scanner = new FastEventScanner(bytes, from, to);
        try {
            scanner.whitespace();
            ObjectNode root = scanner.object(Level.ENVELOPE);
            scanner.whitespace();
            return scanner.pos == scanner.end ? root : null;
        } catch (NotFast | ArrayIndexOutOfBoundsException e) {
            return null;
        }
    }

    /** Which fields an object keeps. */
    private enum Level { ENVELOPE, DETAIL, CALL, CONTAINER }

    private ObjectNode object(Level level) throws NotFast {
        expect('{');
        ObjectNode node = new ObjectNode(NODES, new SmallNodeMap());
        whitespace();
        if (peek() == '}') {
            pos++;
            return node;
        }
        while (true) {
            String key = key();
            whitespace();
            expect(':');
            whitespace();
            if (key == null) {
                skip();
            } else {
                member(level, key, node);
            }
            whitespace();
            byte c = next();
            if (c == '}') {
                return node;
            }
            if (c != ',') {
                throw NotFast.INSTANCE;
            }
            whitespace();
        }
    }

    private void member(Level level, String key, ObjectNode node) throws NotFast {
        switch (level) {
            case ENVELOPE -> {
                if (key.equals("detail")) {
                    node.set(key, peek() == '{' ? object(Level.DETAIL) : scalar());
                } else if (key.equals("requestParameters") || key.equals("responseElements")) {
                    node.set(key, peek() == '{' ? object(Level.CALL) : scalar());
                } else if (SCALARS.contains(key)) {
                    node.set(key, scalar());
                } else {
                    skip();
                }
            }
            case DETAIL -> {
                if (key.equals("containers")) {
                    node.set(key, containers());
                } else if (key.equals("requestParameters") || key.equals("responseElements")) {
                    node.set(key, peek() == '{' ? object(Level.CALL) : scalar());
                } else if (DETAIL_SCALARS.contains(key)) {
                    node.set(key, scalar());
                } else {
                    skip();
                }
            }
            case CALL -> {
                if (CALL_FIELDS.contains(key)) {
                    node.set(key, scalar());
                } else {
                    skip();
                }
            }
            case CONTAINER -> {
                if (key.equals("cpu")) {
                    node.set(key, scalar());
                } else {
                    skip();
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private JsonNode containers() throws NotFast {
        if (peek() != '[') {
            return scalar();
        }
        pos++;
        var array = NODES.arrayNode();
        whitespace();
        if (peek() == ']') {
            pos++;
            return array;
        }
        while (true) {
            if (peek() != '{') {
                throw NotFast.INSTANCE;
            }
            array.add(object(Level.CONTAINER));
            whitespace();
            byte c = next();
            if (c == ']') {
                return array;
            }
            if (c != ',') {
                throw NotFast.INSTANCE;
            }
            whitespace();
        }
    }

    /** A string, number, true, false or null; an object or array where a scalar is expected is not fast. */
    private JsonNode scalar() throws NotFast {
        byte c = peek();
        if (c == '"') {
            return NODES.textNode(string());
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
        }
        if (literal("true")) {
            return NODES.booleanNode(true);
        }
        if (literal("false")) {
            return NODES.booleanNode(false);
        }
        if (literal("null")) {
            return NODES.nullNode();
        }
        throw NotFast.INSTANCE;
    }


    /** A JSON number as Jackson's tree holds it: int, long, big integer, or (with a fraction or exponent) double. */
    private JsonNode number() throws NotFast {
        int start = pos;
        boolean integral = scanNumber();
        String text = new String(b, start, pos - start, StandardCharsets.US_ASCII);
        if (!integral) {
            return NODES.numberNode(Double.parseDouble(text));
        }
        int intDigits = text.charAt(0) == '-' ? text.length() - 1 : text.length();
        if (intDigits <= 9) {
            return NODES.numberNode(Integer.parseInt(text));
        }
        if (intDigits <= 18) {
            long value = Long.parseLong(text);
            return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE ? NODES.numberNode((int) value)
                    : NODES.numberNode(value);
        }
        BigInteger big = new BigInteger(text);
        return big.bitLength() < Long.SIZE ? NODES.numberNode(big.longValue()) : NODES.numberNode(big);
    }


    /** Every field name the history reads, as constants and as bytes, so keys are matched without a String. */
    private static final String[] KEYS;
    private static final byte[][] KEY_BYTES;

    static {
        java.util.TreeSet<String> all = new java.util.TreeSet<>();
        all.addAll(SCALARS);
        all.addAll(DETAIL_SCALARS);
        all.addAll(CALL_FIELDS);
        all.addAll(Set.of("detail", "requestParameters", "responseElements", "containers"));
        KEYS = all.toArray(String[]::new);
        KEY_BYTES = new byte[KEYS.length][];
        for (int i = 0; i < KEYS.length; i++) {
            KEY_BYTES[i] = KEYS[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * A member name: the constant if it is one the history reads, else null (its value is skipped).
     * Names with escapes are decoded first.
     */
    private String key() throws NotFast {
        expect('"');
        int start = pos;
        while (true) {
            pos = stringStop();
            byte c = b[pos];
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                pos = start - 1;
                String decoded = string();
                for (String known : KEYS) {
                    if (known.equals(decoded)) {
                        return known;
                    }
                }
                return null;
            }
            if (c < 0x20) {
                throw NotFast.INSTANCE;
            }
            pos++;
        }
        int length = pos - start;
        pos++;
        for (int i = 0; i < KEY_BYTES.length; i++) {
            byte[] candidate = KEY_BYTES[i];
            if (candidate.length == length && java.util.Arrays.equals(b, start, start + length, candidate, 0, length)) {
                return KEYS[i];
            }
        }
        return null;
    }









}
