package dev.tally.functions.history;

import dev.tally.history.EventKind;

import java.util.Set;

/**
 * Records CloudTrail AttachVolume/DetachVolume calls and EC2 instance terminations into the history
 * table.
 */
public final class Ec2EventsHandler extends HistoryEventsHandler {
    static final Set<EventKind> KINDS = Set.of(EventKind.VOLUME_CALL, EventKind.INSTANCE_TERMINATED);

    public Ec2EventsHandler() {
        this(Dependencies.get().processor(KINDS, "ec2-events"));
    }

    Ec2EventsHandler(EventBatchProcessor processor) {
        super(processor);
    }
}
