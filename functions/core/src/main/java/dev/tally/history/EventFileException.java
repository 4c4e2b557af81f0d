package dev.tally.history;

import dev.tally.InputException;

/** An events path that cannot be used at all (missing, unreadable, or holding no event file). */
public class EventFileException extends InputException {
    private static final long serialVersionUID = 1L;

    public EventFileException(String message) {
        super(message);
    }
}
