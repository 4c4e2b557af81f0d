package dev.tally.aws.redshift;

import dev.tally.delivery.Warehouse.WarehouseException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.Field;
import software.amazon.awssdk.services.redshiftdata.model.GetStatementResultResponse;
import software.amazon.awssdk.services.redshiftdata.model.StatementStatusString;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.SubStatementData;

import java.time.Duration;
import java.util.List;

/**
 * Statements through the Redshift Data API, which only accepts them: each one is then polled with
 * {@code DescribeStatement} (backing off from 100 ms to 2 s) until it ends or the time allowed is up. A batch is
 * one transaction, so a failure leaves nothing of it; the error names the statement that failed by its first words
 * only (statements carry values).
 */
final class DataApiStatements implements SchemaMigrator.Database {
    private static final long FIRST_PAUSE_MILLIS = 100;
    private static final long LONGEST_PAUSE_MILLIS = 2_000;

    private final RedshiftDataClient client;
    private final DataApiTarget target;
    private final Duration timeout;

    DataApiStatements(RedshiftDataClient client, DataApiTarget target, Duration timeout) {
        this.client = client;
        this.target = target;
        this.timeout = timeout;
    }

    @Override
    public void transaction(List<String> statements, String name) throws WarehouseException {
        String id;
        try {
            id = client.batchExecuteStatement(b -> target.applyTo(b).sqls(statements).statementName(name)).id();
        } catch (SdkException e) {
            throw new WarehouseException("Redshift Data API refused batch " + name + ": " + e.getMessage(), e);
        }
        await(id, statements);
    }

    @Override
    public long queryLong(String sql) throws WarehouseException {
        try {
            String id = client.executeStatement(b -> target.applyTo(b).sql(sql)).id();
            await(id, List.of(sql));
            Field field = client.getStatementResult(b -> b.id(id)).records().get(0).get(0);
            return field.longValue() != null ? field.longValue() : Long.parseLong(field.stringValue());
        } catch (SdkException | IndexOutOfBoundsException | NumberFormatException e) {
            throw new WarehouseException("Redshift Data API query " + SqlLiterals.label(sql) + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** Waits for a statement (or batch) to finish; FAILED, ABORTED or too slow is a {@link WarehouseException}. */
    private void await(String id, List<String> statements) throws WarehouseException {
        DescribeStatementResponse statement;
        try {
            statement = awaitEnd(id);
        } catch (SdkException e) {
            throw new WarehouseException("Redshift Data API statement " + id + ": " + e.getMessage(), e);
        } catch (TimedOut e) {
            throw new WarehouseException("Redshift Data API statement " + id + " did not end within " + timeout
                    + "; cancelled (if it committed after all, loading again changes nothing)", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WarehouseException("interrupted while waiting for the Redshift Data API", e);
        }
        if (statement.status() != StatusString.FINISHED) {
            throw new WarehouseException("Redshift Data API statement " + id + " " + statement.statusAsString()
                    + where(statement, statements) + ": " + statement.error(), null);
        }
    }

    /** A statement that did not end in the time allowed; it was cancelled. */
    static final class TimedOut extends Exception {
        TimedOut(String id) {
            super("statement " + id + " did not end in time");
        }
    }

    /** Submits a batch, one transaction; the SDK's exceptions pass through as they are. */
    String submitBatch(List<String> statements, String name) {
        return client.batchExecuteStatement(b -> target.applyTo(b).sqls(statements).statementName(name)).id();
    }

    /** Submits one statement; the SDK's exceptions pass through. */
    String submit(String sql) {
        return client.executeStatement(b -> target.applyTo(b).sql(sql)).id();
    }

    /** Every row of a finished statement's result, page by page. */
    List<List<Field>> records(String id) {
        List<List<Field>> records = new java.util.ArrayList<>();
        String next = null;
        do {
            String token = next;
            GetStatementResultResponse page = client.getStatementResult(b -> b.id(id).nextToken(token));
            records.addAll(page.records());
            next = page.nextToken();
        } while (next != null && !next.isEmpty());
        return records;
    }

    /**
     * Polls a statement (or batch) until it has ended — {@code FINISHED}, {@code FAILED} or {@code ABORTED}, as
     * the answer says — backing off from 100 ms to 2 s; after the timeout it is cancelled and {@link TimedOut}
     * thrown. The SDK's exceptions pass through.
     */
    DescribeStatementResponse awaitEnd(String id) throws TimedOut, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            DescribeStatementResponse statement = client.describeStatement(b -> b.id(id));
            StatusString status = statement.status();
            if (status == StatusString.FINISHED || status == StatusString.FAILED || status == StatusString.ABORTED) {
                return statement;
            }
            if (System.nanoTime() > deadline) {
                cancel(id);
                throw new TimedOut(id);
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
        }
    }

    Duration timeout() {
        return timeout;
    }

    /** Which statement of a batch failed, e.g. {@code " at statement 17 of 27 (INSERT INTO tally.x)"}. */
    private static String where(DescribeStatementResponse statement, List<String> statements) {
        List<SubStatementData> subs = statement.subStatements();
        for (int i = 0; i < subs.size() && i < statements.size(); i++) {
            if (subs.get(i).status() == StatementStatusString.FAILED) {
                return " at statement " + (i + 1) + " of " + statements.size() + " ("
                        + SqlLiterals.label(statements.get(i)) + ")";
            }
        }
        return "";
    }

    private void cancel(String id) {
        try {
            client.cancelStatement(b -> b.id(id));
        } catch (SdkException e) {
            // It ended meanwhile, or cannot be reached: the caller learns that the load is not known to be done.
        }
    }
}
