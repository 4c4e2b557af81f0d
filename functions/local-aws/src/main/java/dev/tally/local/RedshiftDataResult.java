package dev.tally.local;

import static dev.tally.local.RedshiftDataApiError.validation;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGResultSetMetaData;

/**
 * The result set of one statement, read whole from JDBC when the statement runs (the connection closes with it) and
 * kept for GetStatementResult, which serves it in pages. Each cell is held as the Java type of the Data API
 * {@code Field} it becomes ({@code longValue}, {@code doubleValue}, {@code booleanValue}, {@code blobValue},
 * {@code stringValue}) with PostgreSQL's type mapped as Redshift answers it (NUMERIC as a string).
 *
 * @param columns {@code ColumnMetadata}
 * @param rows the cells: Long, Double, Boolean, byte[] or String (null for SQL NULL)
 * @param bytes the estimated size, counted against the emulator's limits (and reported as {@code ResultSize})
 */
record RedshiftDataResult(List<Map<String, Object>> columns, List<Object[]> rows, long bytes) {
    /** Rows per GetStatementResult page. */
    static final int PAGE_ROWS = 1000;
    /** The result of one statement, at most (larger ones fail the statement). */
    static final long MAX_RESULT_BYTES = 64L << 20;

    private static final int LONG = 1;
    private static final int DOUBLE = 2;
    private static final int BOOLEAN = 3;
    private static final int BLOB = 4;
    private static final int STRING = 5;

    /** Reads all of {@code rows}; a result beyond {@link #MAX_RESULT_BYTES} fails the statement. */
    static RedshiftDataResult read(ResultSet rows) throws SQLException, RedshiftDataFailure {
        ResultSetMetaData meta = rows.getMetaData();
        int count = meta.getColumnCount();
        PGResultSetMetaData pg = meta.isWrapperFor(PGResultSetMetaData.class)
                ? meta.unwrap(PGResultSetMetaData.class) : null;
        List<Map<String, Object>> columns = new ArrayList<>(count);
        int[] kinds = new int[count];
        for (int c = 1; c <= count; c++) {
            Map<String, Object> column = new LinkedHashMap<>();
            column.put("isCaseSensitive", meta.isCaseSensitive(c));
            column.put("isCurrency", meta.isCurrency(c));
            column.put("isSigned", meta.isSigned(c));
            column.put("label", meta.getColumnLabel(c));
            column.put("name", meta.getColumnName(c));
            column.put("nullable", meta.isNullable(c));
            column.put("precision", meta.getPrecision(c));
            column.put("scale", meta.getScale(c));
            column.put("schemaName", pg != null ? pg.getBaseSchemaName(c) : meta.getSchemaName(c));
            column.put("tableName", pg != null ? pg.getBaseTableName(c) : meta.getTableName(c));
            column.put("typeName", meta.getColumnTypeName(c));
            column.put("length", 0);
            columns.add(column);
            kinds[c - 1] = kind(meta.getColumnType(c), meta.getColumnTypeName(c));
        }
        List<Object[]> records = new ArrayList<>();
        long bytes = 0;
        while (rows.next()) {
            Object[] row = new Object[count];
            for (int c = 1; c <= count; c++) {
                Object value = value(rows, c, kinds[c - 1]);
                row[c - 1] = value;
                bytes += value instanceof String s ? s.length() + 8L : value instanceof byte[] b ? b.length + 8L : 8L;
            }
            if (bytes > MAX_RESULT_BYTES) {
                throw new RedshiftDataFailure("ERROR: the result is larger than the local Redshift Data API keeps for"
                        + " one statement (" + (MAX_RESULT_BYTES >> 20) + " MiB)");
            }
            records.add(row);
        }
        return new RedshiftDataResult(List.copyOf(columns), records, bytes);
    }

    private static int kind(int sqlType, String typeName) {
        switch (sqlType) {
            case Types.BIGINT:
            case Types.INTEGER:
            case Types.SMALLINT:
            case Types.TINYINT:
                return LONG;
            case Types.REAL:
            case Types.FLOAT:
            case Types.DOUBLE:
                return DOUBLE;
            case Types.BOOLEAN:
                return BOOLEAN;
            case Types.BIT:
                return "bool".equals(typeName) ? BOOLEAN : STRING;
            case Types.BINARY:
            case Types.VARBINARY:
            case Types.LONGVARBINARY:
                return BLOB;
            default:
                return STRING; // NUMERIC/DECIMAL too, as Redshift answers them
        }
    }

    private static Object value(ResultSet rows, int c, int kind) throws SQLException {
        Object value;
        switch (kind) {
            case LONG:
                value = rows.getLong(c);
                break;
            case DOUBLE:
                double d = rows.getDouble(c);
                value = Double.isNaN(d) || Double.isInfinite(d) ? rows.getString(c) : (Object) d;
                break;
            case BOOLEAN:
                value = rows.getBoolean(c);
                break;
            case BLOB:
                value = rows.getBytes(c);
                break;
            default:
                value = rows.getString(c);
        }
        return rows.wasNull() ? null : value;
    }

    /**
     * The GetStatementResult answer for statement {@code id}: the page {@code nextToken} points at (the first when
     * null), with a NextToken when rows remain. The token names the statement and the offset, so a token is refused
     * for any other statement's result.
     */
    Map<String, Object> page(String id, String nextToken) {
        int offset = 0;
        if (nextToken != null) {
            offset = pageOffset(nextToken, id, rows.size());
        }
        int end = Math.min(rows.size(), offset + PAGE_ROWS);
        List<Object> records = new ArrayList<>(end - offset);
        for (Object[] row : rows.subList(offset, end)) {
            List<Object> fields = new ArrayList<>(row.length);
            for (Object cell : row) {
                fields.add(field(cell));
            }
            records.add(fields);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Records", records);
        answer.put("ColumnMetadata", columns);
        answer.put("TotalNumRows", (long) rows.size());
        if (end < rows.size()) {
            answer.put("NextToken", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((id + "@" + end).getBytes(StandardCharsets.UTF_8)));
        }
        return answer;
    }

    private static int pageOffset(String token, String id, int rows) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            int at = decoded.lastIndexOf('@');
            if (at > 0 && decoded.substring(0, at).equals(id)) {
                int offset = Integer.parseInt(decoded.substring(at + 1));
                if (offset > 0 && offset < rows) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw validation("NextToken " + token + " is not one this statement's results gave");
    }

    private static Map<String, Object> field(Object cell) {
        if (cell == null) {
            return Map.of("isNull", true);
        }
        if (cell instanceof Long) {
            return Map.of("longValue", cell);
        }
        if (cell instanceof Double) {
            return Map.of("doubleValue", cell);
        }
        if (cell instanceof Boolean) {
            return Map.of("booleanValue", cell);
        }
        if (cell instanceof byte[]) {
            return Map.of("blobValue", cell);
        }
        return Map.of("stringValue", cell);
    }
}
