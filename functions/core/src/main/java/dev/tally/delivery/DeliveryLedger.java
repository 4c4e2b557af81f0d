package dev.tally.delivery;

import dev.tally.billing.CostBasis;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Optional;

/**
 * What became of every bill delivery, so a notification that comes twice, or late, changes nothing:
 * S3 notifications are at-least-once and unordered, and invocations run concurrently. Every decision is
 * one conditional write (never a read, then a write): two invocations with the same delivery cannot both
 * claim it, and of two deliveries of one bill and period the older cannot pass the newer.
 *
 * <p>Contract (one suite for every adapter): {@link #claim} is granted once per delivery, and again only
 * after a {@link State#FAILED} mark or once the claim's lease has run out (the invocation that held it
 * died); {@link #advance} records a delivery as the latest of its bill and period unless a later order is
 * recorded (an equal order, the same delivery again, passes); {@link #claimFinal} the same for the
 * period's finalized tables.
 */
public interface DeliveryLedger {

    /**
     * One delivery of one bill.
     *
     * @param scope  the bill ({@link BillDelivery#scope()})
     * @param period the billing period it is for, or null when neither key nor manifest names one
     * @param key    the delivery: an object version, an ETag and sequencer, or a manifest's assembly / execution id;
     *               the billing function rolls each cost basis of a delivery up as a delivery of its own, keyed
     *               {@code <key>#<basis>} ({@link #onBasis})
     */
    record DeliveryId(String scope, YearMonth period, String key) {
        /**
         * The delivery's run on one cost basis: claimed, marked and finalized on its own, so a duplicate or a retry
         * finds each basis where it got to — one done, the other failed — and redoes only what is not done. Its
         * order ({@link #advance}, {@link #claimFinal}) is the delivery's, shared by the bill's bases.
         */
        public DeliveryId onBasis(CostBasis basis) {
            return new DeliveryId(scope, period, key + "#" + basis.id());
        }
    }

    /** Where a delivery is. */
    enum State { CLAIMED, ROLLED_UP, LOADED, SUPERSEDED, FAILED }

    /**
     * A delivery's entry.
     *
     * @param order  its place among the deliveries of its bill and period (later sorts higher)
     * @param runId  its run, once rolled up, as {@code <billing period>/<cost basis>/<run id>}
     * @param note   why it failed or was superseded, if it was (never personal data: there is none in a bill's keys)
     */
    record Entry(DeliveryId id, State state, String order, String runId, Instant claimedAt, String note) {
    }

    /** The outcome of a claim. */
    sealed interface Claim {
        /** This invocation holds the delivery now. */
        record Granted() implements Claim {
        }

        /** Someone did or does it: the entry as it is. */
        record Held(Entry entry) implements Claim {
        }
    }

    /**
     * Claims a delivery for this invocation.
     *
     * @param lease how long a claim holds before another invocation may take it over
     */
    Claim claim(DeliveryId id, String order, Instant now, Duration lease);

    /** @return false if a later delivery of the same bill and period was recorded: this one is superseded */
    boolean advance(DeliveryId id, String order);

    /** @return false if a later delivery replaced the period's finalized tables already */
    boolean claimFinal(DeliveryId id, String order);

    /** Records where a claimed delivery got to. */
    void mark(DeliveryId id, State state, String runId, String note);

    Optional<Entry> get(DeliveryId id);
}
