package dev.tally.privacy;

import java.util.Objects;
import java.util.Optional;

/**
 * Who calls the privacy API, as the gateway authenticated them (an IAM principal or JWT claims; never a header).
 * An admin — an IAM principal on the allow-list or a JWT with the {@code privacy:admin} scope — may name anyone
 * and see every request. An end user may name only themselves (their {@code sub} as a {@code USER_ID}, their
 * verified {@code email} claim as an {@code EMAIL}) and see only their own requests.
 *
 * @param principal the IAM principal's ARN, or the JWT {@code sub}
 * @param email     the JWT's {@code email} claim when present and not marked unverified; personal data, never
 *                  logged
 */
public record Caller(Role role, Authentication authentication, String principal, Optional<String> email) {
    public enum Role { ADMIN, END_USER }

    public enum Authentication { IAM, JWT }

    public Caller {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(authentication, "authentication");
        Objects.requireNonNull(principal, "principal");
        email = email == null ? Optional.empty() : email;
    }

    public boolean admin() {
        return role == Role.ADMIN;
    }

    /** The caller's identity across calls, for scoping idempotency keys and telling owners apart. */
    public String identity() {
        return authentication + ":" + principal;
    }

    /** The id an end user may name under a subject type, if any. */
    public Optional<String> ownId(SubjectType type) {
        return switch (type) {
            case USER_ID -> Optional.of(principal);
            case EMAIL -> email;
        };
    }
}
