package dev.tally.functions.privacy.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.tally.aws.sqs.MalformedMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One SQS batch, record by record: each body parsed, then acted on; a record that throws is reported by its message
 * id in {@code batchItemFailures}, so only it comes again (the event source mapping needs
 * {@code ReportBatchItemFailures}). A body that does not parse can never work: it is parked
 * ({@link MalformedMessages}) and reported done, not retried. From a FIFO queue the records after a failure are
 * failed too, unprocessed, as SQS's ordering asks. Logs name message ids, the queue, and exception classes — never
 * a body, nor an exception's message (a database's could quote what it was sent).
 */
final class SqsBatch {
    private static final Logger LOG = LoggerFactory.getLogger(SqsBatch.class);

    /** What became of a batch, for the metrics. */
    record Result(SQSBatchResponse response, int records, int failed, int malformed) {
    }

    private SqsBatch() {
    }

    static <T> Result run(SQSEvent event, String source, Function<String, T> parse, Consumer<T> act,
                          MalformedMessages malformed) {
        List<SQSEvent.SQSMessage> records = event == null || event.getRecords() == null ? List.of()
                : event.getRecords();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        int parked = 0;
        boolean stopped = false;
        for (SQSEvent.SQSMessage record : records) {
            String id = record.getMessageId();
            if (stopped) {
                failures.add(new SQSBatchResponse.BatchItemFailure(id));
                continue;
            }
            try {
                T parsed;
                try {
                    parsed = parse.apply(record.getBody());
                } catch (MalformedMessageException e) {
                    malformed.park(source, id, record.getBody(), e.getMessage());
                    LOG.warn("{} message {} is malformed ({}); parked in the dead-letter queue, not retried", source,
                            id, e.getMessage());
                    parked++;
                    continue;
                }
                act.accept(parsed);
            } catch (RuntimeException e) {
                LOG.warn("{} message {} failed ({}{}); it comes again", source, id, e.getClass().getName(),
                        rootCause(e));
                failures.add(new SQSBatchResponse.BatchItemFailure(id));
                stopped = fifo(record);
            }
        }
        return new Result(new SQSBatchResponse(failures), records.size(), failures.size(), parked);
    }

    private static boolean fifo(SQSEvent.SQSMessage record) {
        String arn = record.getEventSourceArn();
        return arn != null && arn.endsWith(".fifo");
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? "" : ", caused by " + root.getClass().getName();
    }
}
