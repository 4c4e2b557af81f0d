package dev.tally.history;

/** The event types the history subscribes to, by source; a handler takes the kinds it is wired for. */
public enum EventKind {
    ECS_TASK, ECS_CONTAINER_INSTANCE, VOLUME_CALL, INSTANCE_TERMINATED;

    public static EventKind of(HistoryEvent event) {
        if (event instanceof HistoryEvent.TaskStateChange) {
            return ECS_TASK;
        }
        if (event instanceof HistoryEvent.ContainerInstanceChange) {
            return ECS_CONTAINER_INSTANCE;
        }
        if (event instanceof HistoryEvent.VolumeCall) {
            return VOLUME_CALL;
        }
        return INSTANCE_TERMINATED;
    }
}
