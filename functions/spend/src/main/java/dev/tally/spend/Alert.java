package dev.tally.spend;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A move in spend worth telling someone about: one per (period, subject, direction), however often the month is rolled
 * up again.
 *
 * @param change     the move: last month's cost against this month's (its forecast while the month is open)
 * @param forecast   whether {@code change.current()} is a month-end forecast rather than a closed month's cost
 * @param monthTotal the whole month's cost (forecast while open), for context
 * @param products   the AWS products that moved most behind it (of the area; of the service's area)
 * @param resources  the untagged resources that moved most (what to tag next), for the unallocated area
 * @param steps      products whose run rate stepped within the open month
 */
public record Alert(Change change, Change.Direction direction, boolean forecast, BigDecimal monthTotal,
                    List<Change> products, List<Change> resources, List<String> steps) {

    public YearMonth period() {
        return change.period();
    }

    public Subject subject() {
        return change.subject();
    }

    /** What makes an alert the same alert on a rerun: period, subject and direction. */
    public String key() {
        return period() + "|" + subject().id() + "|" + direction();
    }

    /** {@link #key()} as a name safe for object keys and logs (a hash: area names may hold anything). */
    public String id() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public Optional<BigDecimal> relative() {
        return change.relative();
    }
}
