package dev.tally.aws.redshift;

import dev.tally.privacy.warehouse.WarehouseDeleter;
import dev.tally.privacy.warehouse.WarehouseDeletionException;
import dev.tally.privacy.warehouse.WarehouseDeletionPlan;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.SubStatementData;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Privacy deletions on Redshift through the Data API. A table's {@code DELETE}s go as one
 * {@code BatchExecuteStatement}, which Redshift runs as one transaction; the rows each deleted come from
 * {@code DescribeStatement}'s {@code SubStatements[].ResultRows}, so each request gets its own count. A batch takes
 * no parameters per statement, so the ids are Redshift string literals ({@link SqlLiterals#string}); a statement
 * holds at most {@value #MAX_STATEMENT_BYTES} bytes of SQL (a plan's batch is cut further when its ids are long),
 * a batch at most {@value DataApiWarehouse#MAX_BATCH} statements — a table with more runs as several transactions,
 * one after the other (deleting is idempotent: a retry after a failure in the second deletes what the first left).
 * Statements are never logged; failures are told in our words ({@link DeletionFailures}), never with the
 * database's error text. Build the client with {@code AwsClients.configure(RedshiftDataClient.builder(), config,
 * "redshift-data")}.
 */
public final class DataApiWarehouseDeleter implements WarehouseDeleter {
    /** Below the Data API's limit of 100 KB of SQL a statement. */
    static final int MAX_STATEMENT_BYTES = 64 * 1024;
    private static final String STATEMENT_NAME = "tally-privacy-delete";

    private final DataApiStatements statements;

    public DataApiWarehouseDeleter(RedshiftDataClient client, DataApiTarget target) {
        this(client, target, DataApiWarehouse.DEFAULT_TIMEOUT);
    }

    /** @param timeout how long one statement or batch may take before it is cancelled (and the work retried) */
    public DataApiWarehouseDeleter(RedshiftDataClient client, DataApiTarget target, Duration timeout) {
        this.statements = new DataApiStatements(client, target, timeout);
    }

    /** One {@code DELETE} of a batch, and whose. */
    record Delete(String requestId, String sql) {
        @Override
        public String toString() {
            return "Delete[requestId=" + requestId + ", " + SqlLiterals.label(sql) + "]";
        }
    }

    @Override
    public List<String> tablesWithColumn(List<String> schemas, String column) throws WarehouseDeletionException {
        if (schemas.isEmpty()) {
            return List.of();
        }
        String what = "discovery of tables with column " + column + " in " + schemas;
        try {
            String id = statements.submit(DeletionSql.discovery(schemas, column));
            DescribeStatementResponse ended = statements.awaitEnd(id);
            if (ended.status() != StatusString.FINISHED) {
                throw DeletionFailures.statement(ended, what);
            }
            List<String> tables = new ArrayList<>();
            if (Boolean.TRUE.equals(ended.hasResultSet())) {
                for (List<Field> row : statements.records(id)) {
                    tables.add(row.get(0).stringValue() + "." + row.get(1).stringValue());
                }
            }
            return tables;
        } catch (SdkException e) {
            throw DeletionFailures.sdk(e, what);
        } catch (DataApiStatements.TimedOut e) {
            throw DeletionFailures.timedOut(statements, what);
        } catch (InterruptedException e) {
            throw DeletionFailures.interrupted(what);
        }
    }

    @Override
    public Map<String, Long> delete(String table, WarehouseDeletionPlan plan) throws WarehouseDeletionException {
        Map<String, Long> rows = new LinkedHashMap<>();
        plan.requestIds().forEach(id -> rows.put(id, 0L));
        List<Delete> deletes = deletes(table, plan);
        String what = "table " + table;
        for (int from = 0; from < deletes.size(); from += DataApiWarehouse.MAX_BATCH) {
            List<Delete> batch = deletes.subList(from, Math.min(deletes.size(), from + DataApiWarehouse.MAX_BATCH));
            try {
                String id = statements.submitBatch(batch.stream().map(Delete::sql).toList(), STATEMENT_NAME);
                DescribeStatementResponse ended = statements.awaitEnd(id);
                if (ended.status() != StatusString.FINISHED) {
                    throw DeletionFailures.statement(ended, what);
                }
                List<SubStatementData> subs = ended.subStatements();
                for (int i = 0; i < batch.size(); i++) {
                    Long deleted = i < subs.size() ? subs.get(i).resultRows() : null;
                    rows.merge(batch.get(i).requestId(), deleted == null ? 0L : Math.max(deleted, 0L), Long::sum);
                }
            } catch (SdkException e) {
                throw DeletionFailures.sdk(e, what);
            } catch (DataApiStatements.TimedOut e) {
                throw DeletionFailures.timedOut(statements, what);
            } catch (InterruptedException e) {
                throw DeletionFailures.interrupted(what);
            }
        }
        return rows;
    }

    /** The plan's batches as statements of at most {@value #MAX_STATEMENT_BYTES} bytes, in plan order. */
    static List<Delete> deletes(String table, WarehouseDeletionPlan plan) {
        int fixed = utf8(DeletionSql.delete(table, plan.column(), plan.match(), List.of(""),
                WarehouseSql.Dialect.REDSHIFT)) - 2;
        List<Delete> deletes = new ArrayList<>();
        for (WarehouseDeletionPlan.Batch batch : plan.batches()) {
            List<String> ids = new ArrayList<>();
            int bytes = fixed;
            for (String id : batch.ids()) {
                int size = utf8(SqlLiterals.string(WarehouseSql.Dialect.REDSHIFT, id)) + 2;
                if (!ids.isEmpty() && bytes + size > MAX_STATEMENT_BYTES) {
                    deletes.add(delete(table, plan, batch.requestId(), ids));
                    ids = new ArrayList<>();
                    bytes = fixed;
                }
                ids.add(id);
                bytes += size;
            }
            if (!ids.isEmpty()) {
                deletes.add(delete(table, plan, batch.requestId(), ids));
            }
        }
        return deletes;
    }

    private static Delete delete(String table, WarehouseDeletionPlan plan, String requestId, List<String> ids) {
        return new Delete(requestId, DeletionSql.delete(table, plan.column(), plan.match(), ids,
                WarehouseSql.Dialect.REDSHIFT));
    }

    private static int utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
