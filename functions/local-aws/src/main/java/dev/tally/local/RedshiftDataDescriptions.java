package dev.tally.local;

import dev.tally.local.RedshiftDataQuery.Status;
import dev.tally.local.RedshiftDataQuery.Sub;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the Data API reports a statement: the answer to ExecuteStatement and BatchExecuteStatement, and
 * DescribeStatement of a statement, a batch or one of its sub-statements. Each answer is read under the query's
 * monitor, so that it shows one moment of the lifecycle, not a worker's update half-made.
 */
final class RedshiftDataDescriptions {

    private RedshiftDataDescriptions() {
    }

    /** The answer to ExecuteStatement / BatchExecuteStatement; with the status when the request waited for it. */
    static Map<String, Object> submitted(RedshiftDataQuery query, boolean waited) {
        Map<String, Object> answer = new LinkedHashMap<>();
        synchronized (query) {
            answer.put("Id", query.id);
            answer.put("CreatedAt", timestamp(query.createdAt));
            putTarget(answer, query.target);
            if (waited) {
                answer.put("Status", query.status.name());
                answer.put("RedshiftPid", query.pid);
                answer.put("HasResultSet", query.hasResultSet());
            }
        }
        return answer;
    }

    /** DescribeStatement of the statement (of the whole batch for a batch). */
    static Map<String, Object> describe(RedshiftDataQuery query) {
        synchronized (query) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("Id", query.id);
            putTarget(answer, query.target);
            answer.put("Status", query.status.name());
            answer.put("Error", query.error);
            answer.put("CreatedAt", timestamp(query.createdAt));
            answer.put("UpdatedAt", timestamp(query.updatedAt));
            answer.put("Duration", duration(query.durationNanos, query.startNanos, query.status));
            answer.put("RedshiftPid", query.pid);
            answer.put("HasResultSet", query.hasResultSet());
            if (!query.parameters.isEmpty()) {
                List<Object> given = new ArrayList<>();
                query.parameters.forEach((name, value) -> given.add(Map.of("name", name, "value", value)));
                answer.put("QueryParameters", given);
            }
            if (query.batch) {
                long rows = 0;
                long size = 0;
                for (Sub sub : query.subs) {
                    rows += Math.max(sub.resultRows, 0);
                    size += Math.max(sub.resultSize, 0);
                }
                answer.put("ResultRows", query.status == Status.FINISHED ? rows : -1L);
                answer.put("ResultSize", query.status == Status.FINISHED ? size : -1L);
                answer.put("QueryString", String.join("; ", query.subs.stream().map(sub -> sub.sql).toList()));
                List<Object> list = new ArrayList<>();
                for (Sub sub : query.subs) {
                    list.add(subStatement(sub));
                }
                answer.put("SubStatements", list);
            } else {
                Sub only = query.subs.get(0);
                answer.put("QueryString", only.sql);
                answer.put("ResultRows", only.resultRows);
                answer.put("ResultSize", only.resultSize);
                answer.put("RedshiftQueryId", only.queryId);
            }
            return answer;
        }
    }

    /** DescribeStatement of one sub-statement of a batch ({@code <Id>:<n>}). */
    static Map<String, Object> describeSub(RedshiftDataQuery query, Sub sub) {
        synchronized (query) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("Id", sub.id);
            putTarget(answer, query.target);
            answer.put("Status", sub.status.name());
            answer.put("Error", sub.error);
            answer.put("CreatedAt", timestamp(sub.createdAt));
            answer.put("UpdatedAt", timestamp(sub.updatedAt));
            answer.put("Duration", duration(sub.durationNanos, sub.startNanos, sub.status));
            answer.put("RedshiftPid", query.pid);
            answer.put("HasResultSet", sub.hasResultSet);
            answer.put("QueryString", sub.sql);
            answer.put("ResultRows", sub.resultRows);
            answer.put("ResultSize", sub.resultSize);
            answer.put("RedshiftQueryId", sub.queryId);
            return answer;
        }
    }

    /** One of a batch's {@code SubStatements} in its DescribeStatement (the caller holds the query's monitor). */
    private static Map<String, Object> subStatement(Sub sub) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("Id", sub.id);
        data.put("Status", sub.status.name());
        data.put("Error", sub.error);
        data.put("QueryString", sub.sql);
        data.put("HasResultSet", sub.hasResultSet);
        data.put("ResultRows", sub.resultRows);
        data.put("ResultSize", sub.resultSize);
        data.put("CreatedAt", timestamp(sub.createdAt));
        data.put("UpdatedAt", timestamp(sub.updatedAt));
        data.put("Duration", duration(sub.durationNanos, sub.startNanos, sub.status));
        data.put("RedshiftQueryId", sub.queryId);
        return data;
    }

    private static void putTarget(Map<String, Object> answer, RedshiftDataQuery.Target target) {
        answer.put("ClusterIdentifier", target.cluster());
        answer.put("WorkgroupName", target.workgroup());
        answer.put("Database", target.database());
        answer.put("DbUser", target.dbUser());
        answer.put("SecretArn", target.secretArn());
    }

    /** Nanoseconds: as recorded once ended, else so far (0 before it started). */
    private static long duration(long ended, long start, Status state) {
        if (state.terminal()) {
            return ended;
        }
        return start == 0 ? 0 : System.nanoTime() - start;
    }

    /** AWS JSON 1.1 timestamps are epoch seconds, here to the millisecond. */
    private static Object timestamp(Instant instant) {
        return instant == null ? null : BigDecimal.valueOf(instant.toEpochMilli(), 3);
    }
}
