package dev.tally.local;

import static dev.tally.local.RedshiftDataApiError.serialization;
import static dev.tally.local.RedshiftDataApiError.validation;

import dev.tally.local.RedshiftDataQuery.Status;
import dev.tally.local.RedshiftDataQuery.Sub;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

/**
 * The operations the local Redshift Data API emulates, one method each: validating what the operation takes (what it
 * does not emulate is refused with a ValidationException, never ignored), then submitting to the
 * {@link RedshiftDataRunner} or reading the {@link RedshiftDataQueries}. Answers are the JSON objects to send.
 */
final class RedshiftDataOperations {
    /** Statements in one BatchExecuteStatement, at most (as in AWS). */
    static final int MAX_BATCH = 40;

    private final RedshiftDataQueries queries;
    private final RedshiftDataRunner runner;
    private final String defaultDatabase;

    RedshiftDataOperations(RedshiftDataQueries queries, RedshiftDataRunner runner, String defaultDatabase) {
        this.queries = queries;
        this.runner = runner;
        this.defaultDatabase = defaultDatabase;
    }

    Map<String, Object> executeStatement(RedshiftDataRequest request) {
        String sql = request.required("Sql");
        if (sql.isBlank()) {
            throw validation("Sql must not be empty");
        }
        return submit(request, List.of(sql), false);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> batchExecuteStatement(RedshiftDataRequest request) {
        Object sqls = request.get("Sqls");
        if (sqls == null) {
            throw validation("1 validation error detected: Value null at 'sqls' failed to satisfy constraint: "
                    + "Member must not be null");
        }
        if (!(sqls instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw serialization("Sqls must be a list of strings");
        }
        List<String> statementsOfBatch = (List<String>) sqls;
        if (statementsOfBatch.isEmpty() || statementsOfBatch.size() > MAX_BATCH) {
            throw validation("Sqls must have 1 to " + MAX_BATCH + " statements, not " + statementsOfBatch.size());
        }
        if (statementsOfBatch.stream().anyMatch(String::isBlank)) {
            throw validation("Sqls must not contain an empty statement");
        }
        String mode = request.string("ExecutionMode");
        if (mode != null && !mode.equals("TRANSACTION")) {
            throw validation("ExecutionMode " + mode + " is not emulated by the local Redshift Data API: a batch runs"
                    + " as one transaction (TRANSACTION)");
        }
        return submit(request, List.copyOf(statementsOfBatch), true);
    }

    private Map<String, Object> submit(RedshiftDataRequest request, List<String> sqls, boolean batch) {
        if (request.get("SessionId") != null || request.get("SessionKeepAliveSeconds") != null) {
            throw validation("sessions (SessionId, SessionKeepAliveSeconds) are not emulated by the local Redshift"
                    + " Data API");
        }
        String cluster = request.string("ClusterIdentifier");
        String workgroup = request.string("WorkgroupName");
        if (cluster == null && workgroup == null) {
            throw validation("Either ClusterIdentifier or WorkgroupName must be specified");
        }
        if (cluster != null && workgroup != null) {
            throw validation("ClusterIdentifier and WorkgroupName cannot both be specified");
        }
        String format = request.string("ResultFormat");
        if (format != null && !format.equals("JSON")) {
            throw validation("ResultFormat " + format + " is not emulated by the local Redshift Data API (JSON only)");
        }
        Map<String, String> parameters = request.parameters();
        String database = Optional.ofNullable(request.string("Database")).orElse(defaultDatabase);
        request.bool("WithEvent"); // accepted; no EventBridge here
        int wait = request.waitSeconds();
        String token = request.string("ClientToken");

        RedshiftDataQueries.Submission submission = queries.submit(token, (id, active) -> new RedshiftDataQuery(id,
                batch, sqls, new RedshiftDataQuery.Target(cluster, workgroup, database, request.string("DbUser"),
                        request.string("SecretArn")), request.string("StatementName"), parameters, token, active));
        RedshiftDataQuery query = submission.query();
        if (submission.repeated()) {
            return RedshiftDataDescriptions.submitted(query, false);
        }
        try {
            runner.submit(query);
        } catch (RejectedExecutionException e) {
            query.abort("ERROR: the local Redshift Data API is stopped");
            throw new RedshiftDataApiError("ExecuteStatementException", "the local Redshift Data API is stopped", 500,
                    Map.of("StatementId", query.id));
        }
        if (wait > 0) {
            query.await(wait);
        }
        return RedshiftDataDescriptions.submitted(query, wait > 0);
    }

    Map<String, Object> describeStatement(RedshiftDataRequest request) {
        String id = request.id();
        int wait = request.waitSeconds();
        RedshiftDataQuery query = queryOf(id);
        if (wait > 0) {
            query.await(wait);
        }
        synchronized (query) {
            if (isQueryId(id)) {
                return RedshiftDataDescriptions.describe(query);
            }
            return RedshiftDataDescriptions.describeSub(query, query.sub(id));
        }
    }

    Map<String, Object> getStatementResult(RedshiftDataRequest request) {
        String id = request.id();
        int wait = request.waitSeconds();
        String nextToken = request.string("NextToken");
        RedshiftDataQuery query = queryOf(id);
        if (wait > 0) {
            query.await(wait);
        }
        RedshiftDataResult result;
        synchronized (query) {
            Sub sub;
            if (isQueryId(id)) {
                if (query.batch) {
                    throw validation("Id " + id + " is a batch: get the result of one of its statements by its Id, "
                            + id + ":<n>");
                }
                sub = query.subs.get(0);
            } else {
                sub = query.sub(id);
            }
            if (sub.status != Status.FINISHED || !sub.hasResultSet) {
                throw new RedshiftDataApiError("ResourceNotFoundException", "Query does not have result. Please check"
                        + " query status with DescribeStatement.", 400, Map.of("ResourceId", id));
            }
            if (sub.result == null) {
                throw new RedshiftDataApiError("ResourceNotFoundException", "The result of query " + id + " has"
                        + " expired: the local Redshift Data API keeps "
                        + (RedshiftDataQueries.MAX_HELD_RESULT_BYTES >> 20) + " MiB of results.", 400,
                        Map.of("ResourceId", id));
            }
            result = sub.result;
        }
        // the result is immutable once made: paged outside the query's monitor
        return result.page(id, nextToken);
    }

    Map<String, Object> cancelStatement(RedshiftDataRequest request) {
        String id = request.id();
        RedshiftDataQuery query = queryOf(id);
        synchronized (query) {
            if (query.status.terminal()) {
                throw validation("Could not cancel a query that is already in " + query.status + " state.");
            }
        }
        return Map.of("Status", query.cancel());
    }

    /** True for a statement's or batch's id, false for a sub-statement's ({@code <Id>:<n>}). */
    private static boolean isQueryId(String id) {
        return id.indexOf(':') < 0;
    }

    /** The query {@code id} belongs to: its own, or its batch's for a sub-statement. */
    private RedshiftDataQuery queryOf(String id) {
        int colon = id.indexOf(':');
        return queries.find(colon < 0 ? id : id.substring(0, colon));
    }
}
