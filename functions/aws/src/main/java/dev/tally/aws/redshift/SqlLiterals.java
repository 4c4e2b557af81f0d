package dev.tally.aws.redshift;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Values written into SQL text. A load is one Data API {@code BatchExecuteStatement}, whose parameters would apply
 * to every statement alike, so the load's statements carry their values as literals: each kind of value is validated against the narrow shape it has
 * (a run id, a period, a bucket) or, for free text, escaped so that it reads the same in Redshift and PostgreSQL
 * whatever their backslash rules. Anything else is refused before a statement is built. Privacy deletions' subject
 * ids, which may be any text, are {@link #string dialect-aware string literals}.
 */
final class SqlLiterals {
    private static final Pattern RUN_ID = Pattern.compile("[0-9A-Za-z-]{1,64}");
    private static final Pattern PERIOD = Pattern.compile("\\d{4}-(0[1-9]|1[0-2])");
    private static final Pattern FORMAT = Pattern.compile("[a-z0-9]{1,8}");
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern KEY = Pattern.compile("[^'\\\\\\p{Cntrl}]{1,1024}");
    private static final Pattern ROLE = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
    static final int MAX_TEXT_BYTES = 2048;

    private SqlLiterals() {
    }

    static String runId(String runId) {
        return quote(require(RUN_ID, runId, "run id"));
    }

    static String period(String period) {
        return quote(require(PERIOD, period, "billing period"));
    }

    static String format(String format) {
        return quote(require(FORMAT, format, "format"));
    }

    static String schema(String schema) {
        return require(SCHEMA, schema, "schema name");
    }

    /** An {@code s3://bucket/key} literal for {@code COPY}. */
    static String s3Uri(String bucket, String key) {
        return quote("s3://" + require(BUCKET, bucket, "bucket") + "/" + require(KEY, key, "object key"));
    }

    /** {@code IAM_ROLE}'s argument: a role ARN, or {@code default} (the cluster's default role). */
    static String iamRole(String role) {
        return "default".equalsIgnoreCase(role) ? "default" : quote(require(ROLE, role, "IAM role ARN"));
    }

    /**
     * Free text (a source URI). Quotes are doubled; backslashes and control characters are percent-encoded
     * ({@code %5C}, {@code %0A}), because Redshift reads {@code \'} inside a literal as an escaped quote where
     * PostgreSQL does not — a URI loses nothing by it. {@code null} is {@code NULL}.
     */
    static String text(String value) {
        if (value == null) {
            return "NULL";
        }
        StringBuilder out = new StringBuilder(value.length() + 8);
        value.codePoints().forEach(c -> {
            if (c == '\\' || Character.isISOControl(c)) {
                out.append(String.format("%%%02X", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        if (out.toString().getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("text longer than " + MAX_TEXT_BYTES + " bytes");
        }
        return quote(out.toString());
    }

    /**
     * Any string as a literal that reads back as exactly that string in the dialect, for values that cannot be
     * bound (a Data API batch takes no parameters per statement): quotes are doubled; a backslash, which Redshift
     * reads as an escape character inside {@code '...'} and PostgreSQL (standard_conforming_strings on) does not,
     * is written so that no backslash rule applies to it — on Redshift as {@code CHR(92)} concatenated in, which
     * means the same on every server (and so on the local Data API endpoint, which runs Redshift's SQL on
     * PostgreSQL), on PostgreSQL as an {@code E'...'} string with the backslash doubled, which means the same
     * whatever standard_conforming_strings says. Everything else, Unicode included, is kept as it is. A NUL
     * character, which neither database can hold in text, is refused (without the value in the message).
     */
    static String string(WarehouseSql.Dialect dialect, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a string literal cannot hold a NUL character");
        }
        String quoted = value.replace("'", "''");
        if (value.indexOf('\\') < 0) {
            return "'" + quoted + "'";
        }
        return dialect == WarehouseSql.Dialect.REDSHIFT
                ? "('" + quoted.replace("\\", "' || CHR(92) || '") + "')"
                : "E'" + quoted.replace("\\", "\\\\") + "'";
    }

    static String number(BigDecimal value) {
        return value == null ? "NULL" : value.toPlainString();
    }

    static String bool(boolean value) {
        return value ? "TRUE" : "FALSE";
    }

    /** A UTC timestamp to the microsecond, as both databases keep them; {@code null} is {@code NULL}. */
    static String timestamp(Instant at) {
        if (at == null) {
            return "NULL";
        }
        return "CAST('" + TIMESTAMP.format(at.truncatedTo(ChronoUnit.MICROS)) + "' AS TIMESTAMP)";
    }

    /**
     * A statement's first words, up to the name of what it works on ({@code INSERT INTO tally.rollup_runs}) and
     * never as far as a value, for error messages and logs.
     */
    static String label(String sql) {
        List<String> kept = new ArrayList<>();
        for (String word : sql.trim().split("\\s+")) {
            if (kept.size() == 6 || word.contains("(") || word.contains("'")) {
                break;
            }
            kept.add(word);
            if (word.contains(".")) {
                break;
            }
        }
        return String.join(" ", kept);
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String require(Pattern shape, String value, String what) {
        if (value == null || !shape.matcher(value).matches()) {
            throw new IllegalArgumentException("not a valid " + what + ": " + printable(value));
        }
        return value;
    }

    /** The refused value for the message, cut short and without control characters. */
    private static String printable(String value) {
        if (value == null) {
            return "null";
        }
        String cut = value.length() > 80 ? value.substring(0, 80) + "…" : value;
        return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
