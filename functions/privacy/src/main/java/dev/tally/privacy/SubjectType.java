package dev.tally.privacy;

import java.util.Locale;

/** How a request names its subjects. New kinds of identifier are added here. */
public enum SubjectType {
    USER_ID,
    EMAIL;

    /**
     * The form in which an id is hashed and compared: emails are compared without regard to case (one
     * mailbox, however the address was typed); user ids exactly.
     */
    public String normalize(String id) {
        return this == EMAIL ? id.trim().toLowerCase(Locale.ROOT) : id;
    }
}
