package dev.tally.history;

/** What parsing one event gave: a usable fact, or the reason it is not used. */
public sealed interface EventOutcome {

    /** The event contributes this fact to the history. */
    record Used(HistoryEvent event) implements EventOutcome {
    }

    /** A well-formed event of a kind the history does not need (failed API call, non-terminal state, ...). */
    record Ignored(String reason) implements EventOutcome {
    }

    /** An event type the history does not subscribe to. */
    record Unknown(String type) implements EventOutcome {
    }

    /** An event of a subscribed type that lacks what it must carry, or is not an event at all. */
    record Invalid(String reason) implements EventOutcome {
    }
}
