package dev.tally.functions.reconciler;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one reconciler run saw and repaired.
 *
 * @param runAt                  the run instant: the time of stops and detaches the run assumes
 * @param clusters               clusters listed
 * @param tasksSeen              running tasks described
 * @param containerInstancesSeen container instances described
 * @param stopsClosed            open tasks closed: ECS described them stopped, or reported them missing
 * @param stopsAssumed           of those, the ones ECS reported missing, closed at {@code runAt}
 * @param attachmentsSeen        volume attachments EC2 reports attached
 * @param attachmentsAdded       of those, the ones the history did not have (attached at launch, or a lost event)
 * @param detachesAdded          detaches recorded at {@code runAt} for volumes no longer attached where the
 *                               history last saw them
 * @param errors                 what failed, one line each (operation, cluster, exception); the run went on
 */
public record ReconcileSummary(Instant runAt, int clusters, int tasksSeen, int containerInstancesSeen,
                               int stopsClosed, int stopsAssumed, int attachmentsSeen, int attachmentsAdded,
                               int detachesAdded, List<String> errors) {

    public ReconcileSummary {
        errors = List.copyOf(errors);
    }

    /** Whether anything failed: the invocation then fails too, so the schedule's retry and alarm see it. */
    public boolean failed() {
        return !errors.isEmpty();
    }

    /** The counts as CloudWatch metrics, by metric name; zero counts included so alarms see a steady series. */
    public Map<String, Long> metrics() {
        Map<String, Long> metrics = new LinkedHashMap<>();
        metrics.put(ReconcilerMetrics.CLUSTERS, (long) clusters);
        metrics.put(ReconcilerMetrics.TASKS_SEEN, (long) tasksSeen);
        metrics.put(ReconcilerMetrics.CONTAINER_INSTANCES_SEEN, (long) containerInstancesSeen);
        metrics.put(ReconcilerMetrics.STOPS_CLOSED, (long) stopsClosed);
        metrics.put(ReconcilerMetrics.STOPS_ASSUMED, (long) stopsAssumed);
        metrics.put(ReconcilerMetrics.ATTACHMENTS_SEEN, (long) attachmentsSeen);
        metrics.put(ReconcilerMetrics.ATTACHMENTS_ADDED, (long) attachmentsAdded);
        metrics.put(ReconcilerMetrics.DETACHES_ADDED, (long) detachesAdded);
        metrics.put(ReconcilerMetrics.ERRORS, (long) errors.size());
        return metrics;
    }
}
