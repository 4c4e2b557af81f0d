package dev.tally.functions.privacy;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.tally.privacy.PrivacyRequests;
import dev.tally.runtime.CountMetrics;
import dev.tally.runtime.Invocations;

import java.util.Map;

/**
 * The scheduled sweep (EventBridge Scheduler or a rule, e.g. every 15 minutes; the event's content is not used, so
 * any shape starts it — a Scheduler target's payload, or a rule's Scheduled Event): lapsed confirmations failed, confirmed requests the
 * queue missed handed over again, and {@code OverdueRequests} — open requests past their due date — published
 * for the alarm, with {@code OpenRequests} beside it.
 */
public final class PrivacySweepHandler implements RequestHandler<Map<String, Object>, Map<String, Integer>> {
    /** The {@code Service} dimension of the sweep's metrics. */
    public static final String SERVICE = "privacy-sweep";
    /** Open requests past their due date (the alarm's metric). */
    public static final String OVERDUE_REQUESTS = "OverdueRequests";
    /** Requests not yet finished. */
    public static final String OPEN_REQUESTS = "OpenRequests";

    private final PrivacyRequests requests;
    private final CountMetrics metrics;

    public PrivacySweepHandler() {
        this(PrivacyDependencies.get().requests(), PrivacyDependencies.get().sweepMetrics());
    }

    PrivacySweepHandler(PrivacyRequests requests, CountMetrics metrics) {
        this.requests = requests;
        this.metrics = metrics;
    }

    @Override
    public Map<String, Integer> handleRequest(Map<String, Object> event, Context context) {
        return Invocations.logged(context, () -> {
            PrivacyRequests.Sweep sweep = requests.sweep();
            metrics.publish(Map.of(OVERDUE_REQUESTS, (long) sweep.overdue(), OPEN_REQUESTS, (long) sweep.open(),
                    "HandedOverAgain", (long) sweep.handedOver(), "ConfirmationsLapsed",
                    (long) sweep.confirmationsExpired()));
            return Map.of("open", sweep.open(), "overdue", sweep.overdue(), "handed_over", sweep.handedOver(),
                    "confirmations_lapsed", sweep.confirmationsExpired());
        });
    }
}
