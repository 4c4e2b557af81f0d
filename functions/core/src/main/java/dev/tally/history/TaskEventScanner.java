package dev.tally.history;

import dev.tally.billing.ByteInterner;
import dev.tally.billing.FastInstantsAccess;

import java.nio.charset.StandardCharsets;

/**
 * The fastest way through the most common event of a month: an ECS Task State Change with plain
 * values goes straight from its bytes to a {@link HistoryEvent.TaskStateChange}, with no tree, and
 * with the strings tasks share (ARNs, groups, clusters) kept once. It reads exactly what
 * {@link EventParser} reads and applies the same rules (text trimmed, versions, CPU units, container
 * CPU sums, timestamps); anything else — another event type, an escape in a value, a number where
 * text is expected, an unusual CPU or time form — returns {@code null}, and the line takes the
 * general path. Tests hold both paths to the same history.
 */
final class TaskEventScanner extends JsonCursor {
    private static final byte[] DETAIL_TYPE = bytes("detail-type");
    private static final byte[] DETAIL = bytes("detail");
    private static final byte[] TASK_STATE_CHANGE = bytes(EventParser.TASK_STATE_CHANGE);
    private static final byte[] CONTAINERS = bytes("containers");
    private static final byte[] CPU_KEY = bytes("cpu");
    private static final byte[][] FIELDS = {bytes("taskArn"), bytes("version"), bytes("clusterArn"), bytes("group"),
        bytes("containerInstanceArn"), bytes("cpu"), bytes("startedAt"), bytes("stoppedAt")};
    private static final int TASK_ARN = 0;
    private static final int VERSION = 1;
    private static final int CLUSTER_ARN = 2;
    private static final int GROUP = 3;
    private static final int CONTAINER_INSTANCE_ARN = 4;
    private static final int CPU = 5;
    private static final int STARTED_AT = 6;
    private static final int STOPPED_AT = 7;

    private static final byte MISSING = 0;
    private static final byte TEXT = 1;
    private static final byte INTEGER = 2;
    private static final byte NULL = 3;

    private final byte[] kinds = new byte[FIELDS.length];
    private final int[] starts = new int[FIELDS.length];
    private final int[] ends = new int[FIELDS.length];
    private boolean task;
    private boolean detailIsObject;
    private boolean containersNonEmpty;
    private int containersCpu;

    private TaskEventScanner(byte[] bytes, int from, int to) {
        super(bytes, from, to);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Marks an absent number in {@link TaskSink#task}. */
    static final long ABSENT = Long.MIN_VALUE;

    /** Receives one task fact, its ARN as bytes and absent numbers as {@link #ABSENT}, with no object per event. */
    interface TaskSink {
        void task(byte[] arn, int arnFrom, int arnTo, long version, String clusterArn, String group,
                  String containerInstanceArn, long cpu, long containersCpu, long startedAt, long stoppedAt);
    }

    /**
     * @param strings where repeated values are kept once (one per reading thread)
     * @return whether the line was a task event in the plain form, now given to {@code sink}; if not,
     *         nothing was given and the line takes the general path
     */
    static boolean scan(byte[] bytes, int from, int to, ByteInterner strings, TaskSink sink) {
        return read(bytes, from, to, false, true, strings, sink) >= 0;
    }

    /**
     * Reads a task event that starts at {@code from} and ends at the first CR or LF (or at {@code limit}
     * when that is the end of the input), without finding the line's end first: a line break can only
     * be the end of a line that is valid JSON, since strings may not hold one and the scanner takes
     * none as whitespace here.
     *
     * @return the index of the line's terminator (or {@code limit}), the fact given to {@code sink}; or
     *         -1 when the line takes the general path (nothing given)
     */
    static int scanLine(byte[] bytes, int from, int limit, boolean endOfInput, ByteInterner strings,
                        TaskSink sink) {
        return read(bytes, from, limit, true, endOfInput, strings, sink);
    }

    /**
     * One task event from {@code from}: it must end at {@code to} or, in line mode, at the first CR or
     * LF (or at {@code to} when that is the end of the input).
     *
     * @return where the event ends, the fact given to {@code sink}; or -1, nothing given
     */
    private static int read(byte[] bytes, int from, int to, boolean lineMode, boolean endOfInput,
                            ByteInterner strings, TaskSink sink) {
        TaskEventScanner scanner = new TaskEventScanner(bytes, from, to);
        scanner.lineMode = lineMode;
        try {
            scanner.whitespace();
            scanner.envelope();
            scanner.whitespace();
            int at = scanner.pos;
            boolean ends = at < to ? lineMode && (bytes[at] == '\n' || bytes[at] == '\r') : endOfInput;
            if (!ends || !scanner.task || !scanner.detailIsObject) {
                return -1;
            }
            return scanner.emit(strings, sink) ? at : -1;
        } catch (NotFast | ArrayIndexOutOfBoundsException e) {
            return -1;
        }
    }

    /** The same, as an event (null when the line takes the general path). */
    static HistoryEvent.TaskStateChange scan(byte[] bytes, int from, int to, ByteInterner strings) {
        HistoryEvent.TaskStateChange[] event = new HistoryEvent.TaskStateChange[1];
        scan(bytes, from, to, strings, asEvents(e -> event[0] = e));
        return event[0];
    }

    /** A sink that hands each task fact on as an event. */
    static TaskSink asEvents(java.util.function.Consumer<? super HistoryEvent.TaskStateChange> events) {
        return (arn, arnFrom, arnTo, version, cluster, group, ci, cpu, containersCpu, startedAt, stoppedAt) ->
                events.accept(new HistoryEvent.TaskStateChange(
                        new String(arn, arnFrom, arnTo - arnFrom, StandardCharsets.UTF_8), version, cluster, group, ci,
                        cpu == ABSENT ? null : (int) cpu, containersCpu == ABSENT ? null : (int) containersCpu,
                        startedAt == ABSENT ? null : startedAt, stoppedAt == ABSENT ? null : stoppedAt));
    }

    private void envelope() throws NotFast {
        expect('{');
        whitespace();
        if (peek() == '}') {
            pos++;
            return;
        }
        while (true) {
            int keyStart = plainString();
            int keyEnd = pos - 1;
            whitespace();
            expect(':');
            whitespace();
            if (equals(keyStart, keyEnd, DETAIL_TYPE)) {
                if (peek() == '"') {
                    int start = plainString();
                    task = equals(start, pos - 1, TASK_STATE_CHANGE);
                } else {
                    skip();
                    task = false;
                }
            } else if (equals(keyStart, keyEnd, DETAIL)) {
                detailIsObject = peek() == '{';
                if (detailIsObject) {
                    detail();
                } else {
                    skip();
                }
            } else {
                skip();
            }
            whitespace();
            byte c = next();
            if (c == '}') {
                return;
            }
            if (c != ',') {
                throw NotFast.INSTANCE;
            }
            whitespace();
        }
    }

    private void detail() throws NotFast {
        java.util.Arrays.fill(kinds, MISSING);
        containersNonEmpty = false;
        containersCpu = 0;
        expect('{');
        whitespace();
        if (peek() == '}') {
            pos++;
            return;
        }
        while (true) {
            int keyStart = plainString();
            int keyEnd = pos - 1;
            whitespace();
            expect(':');
            whitespace();
            int field = field(keyStart, keyEnd);
            if (field >= 0) {
                value(field);
            } else if (equals(keyStart, keyEnd, CONTAINERS)) {
                containers();
            } else {
                skip();
            }
            whitespace();
            byte c = next();
            if (c == '}') {
                return;
            }
            if (c != ',') {
                throw NotFast.INSTANCE;
            }
            whitespace();
        }
    }

    private int field(int from, int to) {
        for (int i = 0; i < FIELDS.length; i++) {
            if (equals(from, to, FIELDS[i])) {
                return i;
            }
        }
        return -1;
    }

    /** A scalar field: plain text, an integer, or null; anything else is not the plain form. */
    private void value(int field) throws NotFast {
        byte c = peek();
        if (c == '"') {
            starts[field] = plainString();
            ends[field] = pos - 1;
            kinds[field] = TEXT;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            starts[field] = pos;
            if (!scanNumber()) {
                throw NotFast.INSTANCE;
            }
            ends[field] = pos;
            kinds[field] = INTEGER;
        } else if (literal("null")) {
            kinds[field] = NULL;
        } else {
            throw NotFast.INSTANCE;
        }
    }

    /** {@code containers}: an array of objects whose {@code cpu} values are summed as the parser sums them. */
    private void containers() throws NotFast {
        if (peek() != '[') {
            skip(); // not an array: the parser sees no container CPU, as here
            containersNonEmpty = false;
            containersCpu = 0;
            return;
        }
        pos++;
        containersNonEmpty = false;
        containersCpu = 0;
        whitespace();
        if (peek() == ']') {
            pos++;
            return;
        }
        while (true) {
            if (peek() != '{') {
                throw NotFast.INSTANCE;
            }
            containersNonEmpty = true;
            containersCpu += container();
            whitespace();
            byte c = next();
            if (c == ']') {
                return;
            }
            if (c != ',') {
                throw NotFast.INSTANCE;
            }
            whitespace();
        }
    }

    /** One container's CPU units (0 when it has none), the last {@code cpu} winning as in a JSON object. */
    private int container() throws NotFast {
        expect('{');
        int units = 0;
        whitespace();
        if (peek() == '}') {
            pos++;
            return 0;
        }
        while (true) {
            int keyStart = plainString();
            int keyEnd = pos - 1;
            whitespace();
            expect(':');
            whitespace();
            if (equals(keyStart, keyEnd, CPU_KEY)) {
                byte c = peek();
                if (c == '"') {
                    int start = plainString();
                    long value = cpuText(start, pos - 1);
                    units = value == ABSENT ? 0 : (int) value;
                } else if (c == '-' || (c >= '0' && c <= '9')) {
                    int start = pos;
                    if (!scanNumber()) {
                        throw NotFast.INSTANCE;
                    }
                    units = smallInt(start, pos);
                } else if (literal("null")) {
                    units = 0;
                } else {
                    throw NotFast.INSTANCE;
                }
            } else {
                skip();
            }
            whitespace();
            byte c = next();
            if (c == '}') {
                return units;
            }
            if (c != ',') {
                throw NotFast.INSTANCE;
            }
            whitespace();
        }
    }

    /** A string with no escapes: returns where its content starts; {@code pos} is after the closing quote. */
    private int plainString() throws NotFast {
        expect('"');
        int start = pos;
        pos = stringStop();
        if (b[pos] != '"') {
            throw NotFast.INSTANCE;
        }
        pos++;
        return start;
    }

    private boolean equals(int from, int to, byte[] expected) {
        return to - from == expected.length && java.util.Arrays.equals(b, from, to, expected, 0, expected.length);
    }

    // ---- the parser's rules, on bytes -------------------------------------------------------------------

    private boolean emit(ByteInterner strings, TaskSink sink) throws NotFast {
        if (kinds[TASK_ARN] == INTEGER) {
            throw NotFast.INSTANCE;
        }
        if (kinds[TASK_ARN] != TEXT) {
            return false; // the parser calls this event invalid: let it say so
        }
        int arnFrom = trimStart(starts[TASK_ARN], ends[TASK_ARN]);
        int arnTo = trimEnd(arnFrom, ends[TASK_ARN]);
        if (arnFrom == arnTo) {
            return false;
        }
        // everything is read (and checked) before anything is given
        long version = version();
        String cluster = text(CLUSTER_ARN, strings);
        String group = text(GROUP, strings);
        String containerInstance = text(CONTAINER_INSTANCE_ARN, strings);
        long cpu = cpu();
        long containers = containersNonEmpty ? containersCpu : ABSENT;
        long startedAt = instant(STARTED_AT);
        long stoppedAt = instant(STOPPED_AT);
        sink.task(b, arnFrom, arnTo, version, cluster, group, containerInstance, cpu, containers, startedAt, stoppedAt);
        return true;
    }

    /** Text trimmed, empty or null as absent; a number where text is expected is not the plain form. */
    private String text(int field, ByteInterner strings) throws NotFast {
        switch (kinds[field]) {
            case TEXT -> {
                int from = trimStart(starts[field], ends[field]);
                int to = trimEnd(from, ends[field]);
                return from == to ? null : strings.string(strings.intern(b, from, to));
            }
            case INTEGER -> throw NotFast.INSTANCE;
            default -> {
                return null;
            }
        }
    }

    private long version() throws NotFast {
        switch (kinds[VERSION]) {
            case INTEGER -> {
                int digits = ends[VERSION] - starts[VERSION];
                if (digits > 18) {
                    throw NotFast.INSTANCE;
                }
                return Long.parseLong(new String(b, starts[VERSION], digits, StandardCharsets.US_ASCII));
            }
            case TEXT -> {
                String text = new String(b, starts[VERSION], ends[VERSION] - starts[VERSION],
                        StandardCharsets.US_ASCII).trim();
                try {
                    return Long.parseLong(text);
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            default -> {
                return -1;
            }
        }
    }

    private long cpu() throws NotFast {
        return switch (kinds[CPU]) {
            case TEXT -> cpuText(starts[CPU], ends[CPU]);
            case INTEGER -> smallInt(starts[CPU], ends[CPU]);
            default -> ABSENT;
        };
    }

    /** CPU units written as text: digits only here ("256", " 0 "); "1 vCPU" and the like are not the plain form. */
    private long cpuText(int from, int to) throws NotFast {
        from = trimStart(from, to);
        to = trimEnd(from, to);
        if (from == to) {
            return ABSENT;
        }
        if (to - from > 9) {
            throw NotFast.INSTANCE;
        }
        int value = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw NotFast.INSTANCE;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private int smallInt(int from, int to) throws NotFast {
        int length = to - from;
        if (length == 0 || length > 9 || b[from] == '-') {
            throw NotFast.INSTANCE;
        }
        return Integer.parseInt(new String(b, from, length, StandardCharsets.US_ASCII));
    }

    /** An ISO timestamp in one of the plain forms; epoch numbers and other forms are not the plain form. */
    private long instant(int field) throws NotFast {
        switch (kinds[field]) {
            case TEXT -> {
                int from = trimStart(starts[field], ends[field]);
                int to = trimEnd(from, ends[field]);
                if (from == to) {
                    return ABSENT;
                }
                long millis = FastInstantsAccess.parse(b, from, to);
                if (millis == FastInstantsAccess.NOT_FAST || onlyDigitsAndDots(from, to)) {
                    throw NotFast.INSTANCE;
                }
                return millis;
            }
            case INTEGER -> throw NotFast.INSTANCE;
            default -> {
                return ABSENT;
            }
        }
    }

    private boolean onlyDigitsAndDots(int from, int to) {
        for (int i = from; i < to; i++) {
            if ((b[i] < '0' || b[i] > '9') && b[i] != '.') {
                return false;
            }
        }
        return true;
    }

    private int trimStart(int from, int to) {
        while (from < to && (b[from] & 0xff) <= ' ') {
            from++;
        }
        return from;
    }

    private int trimEnd(int from, int to) {
        while (to > from && (b[to - 1] & 0xff) <= ' ') {
            to--;
        }
        return to;
    }
}
