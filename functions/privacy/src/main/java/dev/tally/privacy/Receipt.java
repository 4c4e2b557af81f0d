package dev.tally.privacy;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What happened to a request in one target: the per-destination evidence (privacy.md, "Processing").
 *
 * @param evidence the target kind's evidence fields ({@code objects_rewritten}, {@code rows_deleted}, ...); values
 *                 are numbers, strings, lists or maps of those, never subject ids
 */
public record Receipt(String target, TargetKind kind, ReceiptStatus status, int attempts, String lastError,
                      Instant startedAt, Instant finishedAt, Map<String, Object> evidence) {
    public Receipt {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
    }

    /** A receipt as a request is created: pending, or not supported when the target does not do this type. */
    public static Receipt initial(Target target, RequestType type) {
        return new Receipt(target.name(), target.kind(),
                target.supports(type) ? ReceiptStatus.PENDING : ReceiptStatus.NOT_SUPPORTED, 0, null, null, null,
                Map.of());
    }
}
