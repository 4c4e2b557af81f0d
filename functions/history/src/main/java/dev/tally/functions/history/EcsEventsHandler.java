package dev.tally.functions.history;

import dev.tally.history.EventKind;

import java.util.Set;

/**
 * Records ECS Task State Change and ECS Container Instance State Change events (from EventBridge,
 * usually through an SQS queue) into the history table.
 */
public final class EcsEventsHandler extends HistoryEventsHandler {
    static final Set<EventKind> KINDS = Set.of(EventKind.ECS_TASK, EventKind.ECS_CONTAINER_INSTANCE);

    public EcsEventsHandler() {
        this(Dependencies.get().processor(KINDS, "ecs-events"));
    }

    EcsEventsHandler(EventBatchProcessor processor) {
        super(processor);
    }
}
