package dev.tally.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The narrow translation of Redshift SQL that PostgreSQL cannot run, for the Redshift Data API emulator:
 * <ul>
 *   <li>in {@code CREATE TABLE}: {@code DISTSTYLE ALL|EVEN|KEY|AUTO}, {@code DISTKEY(col)} and a column's
 *       {@code DISTKEY}, {@code [COMPOUND|INTERLEAVED] SORTKEY(cols)}, {@code SORTKEY AUTO} and a column's
 *       {@code SORTKEY}, {@code ENCODE <encoding>} (a column's, or the table's {@code ENCODE AUTO}) and
 *       {@code BACKUP YES|NO} are dropped;</li>
 *   <li>{@code COPY <table> [(<cols>)] FROM 's3://<bucket>/<key>' ...} is recognised ({@link #copy}) and run by the
 *       emulator itself;</li>
 *   <li>{@code :name} placeholders are bound to the request's parameters ({@link #bind}).</li>
 * </ul>
 * Everything else goes to PostgreSQL unchanged. Words inside string literals, quoted identifiers and comments are
 * never touched.
 */
final class RedshiftSql {
    private static final Set<String> DIST_STYLES = Set.of("ALL", "EVEN", "KEY", "AUTO");
    private static final Set<String> ENCODINGS = Set.of("RAW", "AZ64", "BYTEDICT", "DELTA", "DELTA32K", "LZO",
            "MOSTLY8", "MOSTLY16", "MOSTLY32", "RUNLENGTH", "TEXT255", "TEXT32K", "ZSTD", "AUTO");
    private static final Set<String> YES_NO = Set.of("YES", "NO");

    private RedshiftSql() {
    }

    enum Kind { SPACE, COMMENT, WORD, QUOTED_NAME, STRING, NUMBER, PARAMETER, SYMBOL }

    record Token(Kind kind, String text) {
        boolean significant() {
            return kind != Kind.SPACE && kind != Kind.COMMENT;
        }

        boolean isWord(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        boolean isWordIn(Set<String> words) {
            return kind == Kind.WORD && words.contains(text.toUpperCase(Locale.ROOT));
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        /** The value of a string literal ({@code 'it''s'} is {@code it's}). */
        String stringValue() {
            String body = text;
            if (body.startsWith("E") || body.startsWith("e")) {
                body = body.substring(1);
            }
            return body.substring(1, body.length() - 1).replace("''", "'");
        }
    }

    /** PostgreSQL's lexical structure, as far as telling words from literals, identifiers and comments needs. */
    static List<Token> tokenize(String sql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int start = i;
            Kind kind;
            if (Character.isWhitespace(c)) {
                while (i < n && Character.isWhitespace(sql.charAt(i))) {
                    i++;
                }
                kind = Kind.SPACE;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                while (i < n && sql.charAt(i) != '\n') {
                    i++;
                }
                kind = Kind.COMMENT;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int depth = 0;
                while (i < n) {
                    if (sql.startsWith("/*", i)) {
                        depth++;
                        i += 2;
                    } else if (sql.startsWith("*/", i)) {
                        depth--;
                        i += 2;
                        if (depth == 0) {
                            break;
                        }
                    } else {
                        i++;
                    }
                }
                kind = Kind.COMMENT;
            } else if ((c == 'E' || c == 'e') && i + 1 < n && sql.charAt(i + 1) == '\'') {
                i = endOfQuoted(sql, i + 1, '\'', true);
                kind = Kind.STRING;
            } else if (c == '\'') {
                i = endOfQuoted(sql, i, '\'', false);
                kind = Kind.STRING;
            } else if (c == '"') {
                i = endOfQuoted(sql, i, '"', false);
                kind = Kind.QUOTED_NAME;
            } else if (c == '$' && dollarTag(sql, i) != null) {
                String tag = dollarTag(sql, i);
                int end = sql.indexOf(tag, i + tag.length());
                i = end < 0 ? n : end + tag.length();
                kind = Kind.STRING;
            } else if (Character.isLetter(c) || c == '_') {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_'
                        || sql.charAt(i) == '$')) {
                    i++;
                }
                kind = Kind.WORD;
            } else if (Character.isDigit(c)) {
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '.')) {
                    i++;
                }
                kind = Kind.NUMBER;
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                i += 2;
                kind = Kind.SYMBOL;
            } else if (c == ':' && i + 1 < n && (Character.isLetter(sql.charAt(i + 1)) || sql.charAt(i + 1) == '_')) {
                i++;
                while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
                    i++;
                }
                kind = Kind.PARAMETER;
            } else {
                i++;
                kind = Kind.SYMBOL;
            }
            tokens.add(new Token(kind, sql.substring(start, i)));
        }
        return tokens;
    }

    private static int endOfQuoted(String sql, int open, char quote, boolean backslashEscapes) {
        int i = open + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    /** {@code $tag$} at {@code i}, or null. */
    private static String dollarTag(String sql, int i) {
        int j = i + 1;
        while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
            j++;
        }
        if (j < sql.length() && sql.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
            return sql.substring(i, j + 1);
        }
        return null;
    }

    private static String join(List<Token> tokens) {
        StringBuilder out = new StringBuilder();
        tokens.forEach(token -> out.append(token.text()));
        return out.toString();
    }

    private static List<Token> significant(List<Token> tokens) {
        return tokens.stream().filter(Token::significant).toList();
    }

    /** The index of the next significant token after {@code i}, or -1. */
    private static int nextSignificant(List<Token> tokens, int i) {
        for (int j = i + 1; j < tokens.size(); j++) {
            if (tokens.get(j).significant()) {
                return j;
            }
        }
        return -1;
    }

    /** The index of the {@code )} that closes the {@code (} at {@code open}, or -1. */
    private static int closing(List<Token> tokens, int open) {
        int depth = 0;
        for (int j = open; j < tokens.size(); j++) {
            if (tokens.get(j).isSymbol("(")) {
                depth++;
            } else if (tokens.get(j).isSymbol(")")) {
                depth--;
                if (depth == 0) {
                    return j;
                }
            }
        }
        return -1;
    }

    static boolean isCreateTable(List<Token> tokens) {
        List<Token> words = significant(tokens);
        if (words.isEmpty() || !words.get(0).isWord("CREATE")) {
            return false;
        }
        for (int i = 1; i < Math.min(words.size(), 5); i++) {
            if (words.get(i).isWord("TABLE")) {
                return true;
            }
            if (words.get(i).kind() != Kind.WORD) {
                return false;
            }
        }
        return false;
    }

    /** The statement with Redshift's table and column attributes dropped when it is a CREATE TABLE. */
    static String translate(String sql) {
        List<Token> tokens = tokenize(sql);
        if (!isCreateTable(tokens)) {
            return sql;
        }
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < tokens.size()) {
            int skipTo = redshiftAttributeEnd(tokens, i);
            if (skipTo >= 0) {
                i = skipTo + 1;
                continue;
            }
            out.add(tokens.get(i));
            i++;
        }
        return join(out);
    }

    /** When a Redshift-only attribute starts at {@code i}: the index of its last token; else -1. */
    private static int redshiftAttributeEnd(List<Token> tokens, int i) {
        Token token = tokens.get(i);
        if (token.kind() != Kind.WORD) {
            return -1;
        }
        int next = nextSignificant(tokens, i);
        Token following = next < 0 ? null : tokens.get(next);
        String word = token.text().toUpperCase(Locale.ROOT);
        switch (word) {
            case "DISTSTYLE":
                return following != null && following.isWordIn(DIST_STYLES) ? next : -1;
            case "ENCODE":
                return following != null && following.isWordIn(ENCODINGS) ? next : -1;
            case "BACKUP":
                return following != null && following.isWordIn(YES_NO) ? next : -1;
            case "DISTKEY":
                if (following != null && following.isSymbol("(")) {
                    return closing(tokens, next);
                }
                return i;
            case "COMPOUND":
            case "INTERLEAVED":
                if (following != null && following.isWord("SORTKEY")) {
                    return redshiftAttributeEnd(tokens, next);
                }
                return -1;
            case "SORTKEY":
                if (following != null && following.isSymbol("(")) {
                    return closing(tokens, next);
                }
                if (following != null && following.isWord("AUTO")) {
                    return next;
                }
                return i;
            default:
                return -1;
        }
    }

    /** The {@code :name} placeholders of {@code sql}, in order of appearance (with repeats). */
    static List<String> placeholders(String sql) {
        List<String> names = new ArrayList<>();
        for (Token token : tokenize(sql)) {
            if (token.kind() == Kind.PARAMETER) {
                names.add(token.text().substring(1));
            }
        }
        return names;
    }

    /** {@code sql} with each {@code :name} that {@code parameters} has turned into {@code ?}. */
    static String bind(String sql, Map<String, String> parameters) {
        StringBuilder out = new StringBuilder();
        for (Token token : tokenize(sql)) {
            if (token.kind() == Kind.PARAMETER && parameters.containsKey(token.text().substring(1))) {
                out.append('?');
            } else {
                out.append(token.text());
            }
        }
        return out.toString();
    }

    /** A COPY from S3 in the form the emulator runs (see the README). */
    record Copy(String table, String columns, String bucket, String key, boolean gzip, int ignoreHeader) {
        /** What PostgreSQL runs: {@code COPY <table> [(<cols>)] FROM STDIN WITH (FORMAT csv, HEADER ...)}. */
        String postgresCopy() {
            return "COPY " + table + (columns.isEmpty() ? "" : " " + columns) + " FROM STDIN WITH (FORMAT csv, HEADER "
                    + (ignoreHeader > 0) + ")";
        }

        String source() {
            return "s3://" + bucket + "/" + key;
        }
    }

    /** A COPY statement that cannot run here, with the error to report. */
    static final class CopyException extends Exception {
        private static final long serialVersionUID = 1L;

        CopyException(String message) {
            super(message);
        }
    }

    /**
     * Whether {@code sql} is {@code COPY ... FROM 's3://...'}: null when it is not (it then goes to PostgreSQL
     * unchanged); the parsed COPY when it is; a {@link CopyException} when it is but uses what is not emulated.
     */
    static Copy copy(String sql) throws CopyException {
        List<Token> words = new ArrayList<>(significant(tokenize(sql)));
        while (!words.isEmpty() && words.get(words.size() - 1).isSymbol(";")) {
            words.remove(words.size() - 1);
        }
        if (words.isEmpty() || !words.get(0).isWord("COPY")) {
            return null;
        }
        int i = 1;
        StringBuilder table = new StringBuilder();
        while (i < words.size() && !words.get(i).isSymbol("(") && !words.get(i).isWord("FROM")) {
            table.append(words.get(i).text());
            i++;
        }
        String columns = "";
        if (i < words.size() && words.get(i).isSymbol("(")) {
            StringBuilder list = new StringBuilder();
            while (i < words.size() && !words.get(i).isSymbol(")")) {
                Token t = words.get(i);
                list.append(t.text());
                if (t.isSymbol(",")) {
                    list.append(' ');
                }
                i++;
            }
            if (i == words.size()) {
                return null;
            }
            columns = list.append(')').toString();
            i++;
        }
        if (i + 1 >= words.size() || !words.get(i).isWord("FROM") || words.get(i + 1).kind() != Kind.STRING
                || !words.get(i + 1).stringValue().startsWith("s3://")) {
            return null;
        }
        if (table.length() == 0) {
            throw new CopyException("ERROR: syntax error at or near \"FROM\"");
        }
        String source = words.get(i + 1).stringValue();
        String path = source.substring("s3://".length());
        int slash = path.indexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
            throw new CopyException("ERROR: S3ServiceException:The S3 path '" + source
                    + "' has no object key: the local Redshift Data API loads one object, s3://<bucket>/<key>");
        }
        i += 2;
        boolean csv = false;
        boolean gzip = false;
        boolean authorized = false;
        int ignoreHeader = 0;
        while (i < words.size()) {
            Token option = words.get(i);
            String name = option.kind() == Kind.WORD ? option.text().toUpperCase(Locale.ROOT) : option.text();
            i++;
            switch (name) {
                case "IAM_ROLE" -> {
                    if (i < words.size() && (words.get(i).kind() == Kind.STRING || words.get(i).isWord("DEFAULT"))) {
                        i++;
                        authorized = true;
                    } else {
                        throw new CopyException("ERROR: syntax error at or near \"IAM_ROLE\": IAM_ROLE takes "
                                + "'<role ARN>' or DEFAULT");
                    }
                }
                case "FORMAT" -> {
                    if (i < words.size() && words.get(i).isWord("AS")) {
                        i++;
                    }
                    if (i < words.size() && words.get(i).isWord("CSV")) {
                        csv = true;
                        i++;
                    } else {
                        throw unsupported("FORMAT " + (i < words.size() ? words.get(i).text() : ""));
                    }
                }
                case "CSV" -> csv = true;
                case "GZIP" -> gzip = true;
                case "IGNOREHEADER" -> {
                    if (i < words.size() && words.get(i).isWord("AS")) {
                        i++;
                    }
                    if (i < words.size() && words.get(i).kind() == Kind.NUMBER) {
                        try {
                            ignoreHeader = Integer.parseInt(words.get(i).text());
                        } catch (NumberFormatException e) {
                            throw new CopyException("ERROR: IGNOREHEADER takes a number of lines, not "
                                    + words.get(i).text());
                        }
                        i++;
                    } else {
                        throw new CopyException("ERROR: syntax error at or near \"IGNOREHEADER\": it takes a number");
                    }
                }
                case "TIMEFORMAT", "REGION" -> {
                    if (i < words.size() && words.get(i).isWord("AS")) {
                        i++;
                    }
                    if (i < words.size() && words.get(i).kind() == Kind.STRING) {
                        i++;
                    } else {
                        throw new CopyException("ERROR: syntax error at or near \"" + name + "\": it takes a "
                                + "'quoted' value");
                    }
                }
                default -> throw unsupported(option.text());
            }
        }
        if (!authorized) {
            throw new CopyException("ERROR: Missing authorization: COPY from S3 needs IAM_ROLE '<role ARN>' "
                    + "(the local Redshift Data API accepts any role)");
        }
        if (!csv) {
            throw new CopyException("ERROR: COPY without CSV is not emulated: the local Redshift Data API loads "
                    + "CSV only (add FORMAT AS CSV)");
        }
        return new Copy(table.toString(), columns, path.substring(0, slash), path.substring(slash + 1), gzip,
                ignoreHeader);
    }

    private static CopyException unsupported(String option) {
        return new CopyException("ERROR: COPY option " + option.strip() + " is not emulated by the local Redshift "
                + "Data API (it takes IAM_ROLE, FORMAT [AS] CSV, CSV, IGNOREHEADER, GZIP, TIMEFORMAT, REGION)");
    }
}
