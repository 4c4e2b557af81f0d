package dev.tally.delivery;

import dev.tally.billing.CostBasis;
import dev.tally.rollup.Rollup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

/**
 * The end of every rollup of a delivery, however the bill was read (in one invocation, or by the workers of a
 * distributed run): the run's outputs written, the period's finalized tables replaced when the bill is final and no
 * later delivery finalized it, the delivery marked rolled up, the run loaded into the warehouse — and, for a
 * delivery seen before, what its ledger entry says is left to do.
 */
final class RunCompletion {
    private static final Logger LOG = LoggerFactory.getLogger(RunCompletion.class);

    /** A rollup still to be computed; marked failed in the ledger if it throws. */
    interface Work {
        Rollup run() throws IOException;
    }

    private final DeliveryLedger ledger;
    private final Warehouse warehouse;
    private final RollupOutputs outputs;
    private final Clock clock;

    RunCompletion(DeliveryLedger ledger, Warehouse warehouse, RollupOutputs outputs, Clock clock) {
        this.ledger = ledger;
        this.warehouse = warehouse;
        this.outputs = outputs;
        this.clock = clock;
    }

    /**
     * Rolls the claimed delivery up and completes its run.
     *
     * @param source    the object that started it ({@code s3://…})
     * @param started   when its claim was granted (the run's start)
     * @param bytesRead the bill's bytes read, asked once the work is done
     */
    DeliveryProcessor.Outcome complete(DeliveryLedger.DeliveryId id, String order, String source, Instant started,
                                       String message, Work work, java.util.function.LongSupplier bytesRead)
            throws IOException {
        Rollup rollup;
        RunRecord run;
        try {
            rollup = work.run();
            run = outputs.writeRun(rollup, source, started, clock.instant());
            if (rollup.summary().isFinal() && ledger.claimFinal(id, order)) {
                run = outputs.finalize(rollup, run);
            }
        } catch (IOException | RuntimeException e) {
            ledger.mark(id, DeliveryLedger.State.FAILED, "", "rollup failed");
            throw e;
        }
        ledger.mark(id, DeliveryLedger.State.ROLLED_UP, runRef(run), "");
        String loadFailure = load(id, run);
        return new DeliveryProcessor.Outcome(loadFailure.isEmpty() ? DeliveryProcessor.Status.ROLLED_UP
                : DeliveryProcessor.Status.FAILED, source, loadFailure, rollup.summary(), run, message,
                bytesRead.getAsLong());
    }

    /** Loads a run into the warehouse; the failure's message, or empty. */
    private String load(DeliveryLedger.DeliveryId id, RunRecord run) {
        try {
            warehouse.load(run);
            ledger.mark(id, DeliveryLedger.State.LOADED, runRef(run), "");
            return "";
        } catch (Warehouse.WarehouseException e) {
            LOG.warn("run {} rolled up and written, but not loaded into the warehouse: {}", run.runId(), e.getMessage());
            ledger.mark(id, DeliveryLedger.State.ROLLED_UP, runRef(run), "warehouse load failed");
            return "rolled up (run " + run.runId() + "), but the warehouse load failed; it is retried when the "
                    + "delivery comes again: " + e.getMessage();
        }
    }

    /** A delivery seen before: done, superseded, busy elsewhere — or rolled up but not yet in the warehouse. */
    DeliveryProcessor.Outcome again(DeliveryLedger.Entry entry, String source, String message) throws IOException {
        String run = entry.runId();
        switch (entry.state()) {
            case LOADED:
                return DeliveryProcessor.Outcome.of(DeliveryProcessor.Status.DUPLICATE, source,
                        "rolled up already (run " + run + ")", message);
            case SUPERSEDED:
                return DeliveryProcessor.Outcome.of(DeliveryProcessor.Status.SUPERSEDED, source, "a later delivery "
                        + "of this bill and period was rolled up already", message);
            case ROLLED_UP:
                String[] ref = run.split("/", 3);
                if (ref.length != 3) {
                    throw new IllegalStateException("the ledger names run '" + run + "', not <period>/<basis>/<run id>");
                }
                RunRecord record = outputs.readRun(ref[0], CostBasis.parse(ref[1]), ref[2]);
                String failure = load(entry.id(), record);
                return new DeliveryProcessor.Outcome(failure.isEmpty() ? DeliveryProcessor.Status.DUPLICATE
                        : DeliveryProcessor.Status.FAILED, source, failure.isEmpty() ? "rolled up already (run " + run
                        + "); loaded into the warehouse now" : failure, null, record, message, 0);
            default:
                return DeliveryProcessor.Outcome.of(DeliveryProcessor.Status.DUPLICATE, source,
                        "being rolled up by another invocation", message);
        }
    }

    /** How the ledger names a run: {@code <billing period>/<cost basis>/<run id>}, enough to find its record. */
    private static String runRef(RunRecord run) {
        return run.billingPeriod() + "/" + run.costBasis().id() + "/" + run.runId();
    }
}
