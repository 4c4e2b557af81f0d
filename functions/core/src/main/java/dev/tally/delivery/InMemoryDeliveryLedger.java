package dev.tally.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The {@link DeliveryLedger} in memory, for `tally` runs without AWS and for tests; one lock makes every write conditional. */
public final class InMemoryDeliveryLedger implements DeliveryLedger {
    private final Map<DeliveryId, Entry> entries = new HashMap<>();
    private final Map<String, String> latest = new HashMap<>();
    private final Map<String, String> latestFinal = new HashMap<>();

    @Override
    public synchronized Claim claim(DeliveryId id, String order, Instant now, Duration lease) {
        Entry existing = entries.get(id);
        boolean free = existing == null || existing.state() == State.FAILED
                || (existing.state() == State.CLAIMED && existing.claimedAt().plus(lease).isBefore(now));
        if (!free) {
            return new Claim.Held(existing);
        }
        entries.put(id, new Entry(id, State.CLAIMED, order, "", now, ""));
        return new Claim.Granted();
    }

    @Override
    public synchronized boolean advance(DeliveryId id, String order) {
        return raise(latest, id, order);
    }

    @Override
    public synchronized boolean claimFinal(DeliveryId id, String order) {
        return raise(latestFinal, id, order);
    }

    private static boolean raise(Map<String, String> orders, DeliveryId id, String order) {
        String bill = id.scope() + "#" + id.period();
        String current = orders.get(bill);
        if (current != null && current.compareTo(order) > 0) {
            return false;
        }
        orders.put(bill, order);
        return true;
    }

    @Override
    public synchronized void mark(DeliveryId id, State state, String runId, String note) {
        Entry e = entries.get(id);
        if (e == null) {
            throw new IllegalStateException("no claim for " + id);
        }
        entries.put(id, new Entry(id, state, e.order(), runId.isEmpty() ? e.runId() : runId, e.claimedAt(), note));
    }

    @Override
    public synchronized Optional<Entry> get(DeliveryId id) {
        return Optional.ofNullable(entries.get(id));
    }
}
