package dev.tally.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link DeliveryLedger} must do, run against each adapter (in memory here, DynamoDB in the AWS module). */
public abstract class DeliveryLedgerContract {
    private static final Instant NOW = Instant.parse("2017-03-02T10:00:00Z");
    private static final Duration LEASE = Duration.ofMinutes(20);
    private static final DeliveryLedger.DeliveryId ID = new DeliveryLedger.DeliveryId("bills/cur/hourly",
            YearMonth.of(2017, 2), "m:asm-1");

    /** A new, empty ledger; each call shares nothing with earlier ones. */
    protected abstract DeliveryLedger newLedger();

    private static DeliveryLedger.DeliveryId delivery(String key) {
        return new DeliveryLedger.DeliveryId(ID.scope(), ID.period(), key);
    }

    @Test
    void shouldGrantAClaimOnce_andShowTheHolderToTheNext() {
        DeliveryLedger ledger = newLedger();

        DeliveryLedger.Claim first = ledger.claim(ID, "0001", NOW, LEASE);
        DeliveryLedger.Claim second = ledger.claim(ID, "0001", NOW.plusSeconds(5), LEASE);

        assertThat(first).isInstanceOf(DeliveryLedger.Claim.Granted.class);
        assertThat(second).isInstanceOf(DeliveryLedger.Claim.Held.class);
        DeliveryLedger.Entry entry = ((DeliveryLedger.Claim.Held) second).entry();
        assertThat(entry.state()).isEqualTo(DeliveryLedger.State.CLAIMED);
        assertThat(entry.order()).isEqualTo("0001");
        assertThat(entry.claimedAt()).isEqualTo(NOW);
    }

    @Test
    void shouldGrantAClaimToOneOfManyConcurrentInvocations() throws Exception {
        DeliveryLedger ledger = newLedger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<DeliveryLedger.Claim>> claims = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                claims.add(() -> ledger.claim(ID, "0001", NOW, LEASE));
            }
            long granted = 0;
            for (Future<DeliveryLedger.Claim> claim : pool.invokeAll(claims)) {
                granted += claim.get() instanceof DeliveryLedger.Claim.Granted ? 1 : 0;
            }
            assertThat(granted).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldGrantAClaimAgain_afterAFailure_orOnceTheLeaseRanOut_butNotOnceDone() {
        DeliveryLedger ledger = newLedger();
        DeliveryLedger.DeliveryId died = delivery("v:2");
        ledger.claim(ID, "0001", NOW, LEASE);
        ledger.mark(ID, DeliveryLedger.State.FAILED, "", "rollup failed");
        ledger.claim(died, "0002", NOW, LEASE);

        assertThat(ledger.claim(ID, "0001", NOW.plusSeconds(1), LEASE)).isInstanceOf(DeliveryLedger.Claim.Granted.class);
        assertThat(ledger.claim(died, "0002", NOW.plus(LEASE).minusSeconds(1), LEASE))
                .isInstanceOf(DeliveryLedger.Claim.Held.class);
        assertThat(ledger.claim(died, "0002", NOW.plus(LEASE).plusSeconds(1), LEASE))
                .isInstanceOf(DeliveryLedger.Claim.Granted.class);
        ledger.mark(ID, DeliveryLedger.State.LOADED, "2017-02/r1", "");
        assertThat(ledger.claim(ID, "0001", NOW.plus(Duration.ofDays(2)), LEASE))
                .isInstanceOf(DeliveryLedger.Claim.Held.class);
    }

    @Test
    void shouldKeepMarks_runAndNote() {
        DeliveryLedger ledger = newLedger();
        ledger.claim(ID, "0001", NOW, LEASE);

        ledger.mark(ID, DeliveryLedger.State.ROLLED_UP, "2017-02/20170302T100000Z-ab12cd34", "warehouse load failed");
        ledger.mark(ID, DeliveryLedger.State.LOADED, "", "");

        assertThat(ledger.get(ID)).hasValueSatisfying(entry -> {
            assertThat(entry.state()).isEqualTo(DeliveryLedger.State.LOADED);
            assertThat(entry.runId()).isEqualTo("2017-02/20170302T100000Z-ab12cd34");
            assertThat(entry.note()).isEmpty();
            assertThat(entry.id()).isEqualTo(ID);
        });
        assertThat(ledger.get(delivery("other"))).isEmpty();
    }

    @Test
    void shouldLetNoOlderDeliveryPassANewerOne_ofTheSameBillAndPeriod() {
        DeliveryLedger ledger = newLedger();
        DeliveryLedger.DeliveryId otherPeriod = new DeliveryLedger.DeliveryId(ID.scope(), YearMonth.of(2017, 3), "x");
        DeliveryLedger.DeliveryId otherBill = new DeliveryLedger.DeliveryId("bills/other", ID.period(), "x");

        assertThat(ledger.advance(delivery("b"), "0002")).isTrue();
        assertThat(ledger.advance(delivery("b"), "0002")).as("the same delivery again").isTrue();
        assertThat(ledger.advance(delivery("a"), "0001")).isFalse();
        assertThat(ledger.advance(delivery("c"), "0003")).isTrue();
        assertThat(ledger.advance(otherPeriod, "0001")).isTrue();
        assertThat(ledger.advance(otherBill, "0001")).isTrue();
    }

    @Test
    void shouldLetNoOlderFinalReplaceANewerFinalization() {
        DeliveryLedger ledger = newLedger();

        assertThat(ledger.claimFinal(delivery("b"), "0002")).isTrue();
        assertThat(ledger.claimFinal(delivery("a"), "0001")).isFalse();
        assertThat(ledger.advance(delivery("a"), "0001")).as("supersession is tracked apart").isTrue();
        assertThat(ledger.claimFinal(delivery("c"), "0003")).isTrue();
    }

    @Test
    void shouldKeepDeliveriesOfABillWithoutAPeriodApart() {
        DeliveryLedger ledger = newLedger();
        DeliveryLedger.DeliveryId unknown = new DeliveryLedger.DeliveryId(ID.scope(), null, "m:x");

        assertThat(ledger.claim(unknown, "0001", NOW, LEASE)).isInstanceOf(DeliveryLedger.Claim.Granted.class);
        assertThat(ledger.claim(ID, "0001", NOW, LEASE)).isInstanceOf(DeliveryLedger.Claim.Granted.class);
        assertThat(ledger.get(unknown)).hasValueSatisfying(e -> assertThat(e.id().period()).isNull());
    }
}
