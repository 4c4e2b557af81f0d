package dev.tally.functions.reconciler;

import dev.tally.runtime.CountMetrics;

/** The names of the counts of one reconciler run, published once per invocation. */
public interface ReconcilerMetrics extends CountMetrics {
    String CLUSTERS = "ReconcilerClusters";
    String TASKS_SEEN = "ReconcilerTasksSeen";
    String CONTAINER_INSTANCES_SEEN = "ReconcilerContainerInstancesSeen";
    String STOPS_CLOSED = "ReconcilerStopsClosed";
    String STOPS_ASSUMED = "ReconcilerStopsAssumed";
    String ATTACHMENTS_SEEN = "ReconcilerAttachmentsSeen";
    String ATTACHMENTS_ADDED = "ReconcilerAttachmentsAdded";
    String DETACHES_ADDED = "ReconcilerDetachesAdded";
    String ERRORS = "ReconcilerErrors";
}
