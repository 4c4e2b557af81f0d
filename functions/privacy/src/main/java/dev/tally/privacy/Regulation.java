package dev.tally.privacy;

/** The law a request is made under; it decides the due date (privacy.md: GDPR one month, CCPA 45 days). */
public enum Regulation {
    GDPR,
    CCPA
}
