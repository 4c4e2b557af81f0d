package dev.tally.infra.monitoring;

import dev.tally.functions.billing.BillingMetrics;
import dev.tally.functions.privacy.PrivacySweepHandler;
import dev.tally.functions.privacy.worker.WorkHandler;
import dev.tally.infra.function.TallyFunction;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.AlarmStatusWidget;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.HorizontalAnnotation;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.YAxisProps;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Tally dashboard: the rollups' totals and coverage (each rollup publishes its bill's total cost and coverage;
 * the billing function logs neither with the billing period, so they are graphed per day), the bills rolled up and
 * failed, the privacy requests open and overdue, the dead-letter queues' depths, the functions' errors, and the
 * state of every alarm.
 */
final class TallyDashboard extends Construct {
    static final String NAME = "Tally";
    static final Duration DEFAULT_INTERVAL = Duration.days(14);
    static final Duration ROLLUP_PERIOD = Duration.days(1);
    static final Duration BILLS_PERIOD = Duration.hours(6);
    static final Duration HOURLY = Duration.hours(1);
    private static final int WIDTH = 12;
    private static final int HEIGHT = 6;

    private final Dashboard dashboard;

    /**
     * @param deadLetters each dead-letter queue of the app by its construct path
     * @param coverageThresholdBasisPoints where the coverage alarm goes off (drawn on the coverage graph)
     */
    TallyDashboard(Construct scope, String id, Map<String, IQueue> deadLetters, List<TallyFunction> functions,
                   int coverageThresholdBasisPoints, List<IAlarm> alarms) {
        super(scope, id);
        dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(NAME)
                .defaultInterval(DEFAULT_INTERVAL)
                .build();
        dashboard.addWidgets(TextWidget.Builder.create()
                .markdown("# Tally\nRollups of the delivered bills (`" + BillingMetrics.SERVICE + "`), privacy "
                        + "requests (`" + PrivacySweepHandler.SERVICE + "`, `" + WorkHandler.SERVICE + "`) and the "
                        + "dead-letter queues. Every alarm below mails the alarm topic's subscribers.")
                .width(2 * WIDTH).height(2).build());
        dashboard.addWidgets(
                graph("Rollup total cost (cents; the largest bill rolled up each day)",
                        List.of(billing(BillingMetrics.TOTAL_COST_CENTS, "Maximum", ROLLUP_PERIOD)), null),
                GraphWidget.Builder.create()
                        .title("Rollup coverage (basis points of the bill's cost; the lowest each day)")
                        .left(List.of(billing(BillingMetrics.COVERAGE_BASIS_POINTS, "Minimum", ROLLUP_PERIOD)))
                        .leftYAxis(YAxisProps.builder().min(0).max(10_000).showUnits(false).build())
                        .leftAnnotations(List.of(HorizontalAnnotation.builder()
                                .value(coverageThresholdBasisPoints).label("alarm below").build()))
                        .width(WIDTH).height(HEIGHT).build());
        dashboard.addWidgets(
                graph("Bills per 6 hours", List.of(
                        billing(BillingMetrics.ROLLED_UP, "Sum", BILLS_PERIOD),
                        billing(BillingMetrics.DISTRIBUTED, "Sum", BILLS_PERIOD),
                        billing(BillingMetrics.FAILED, "Sum", BILLS_PERIOD),
                        billing(BillingMetrics.DUPLICATE, "Sum", BILLS_PERIOD),
                        billing(BillingMetrics.SUPERSEDED, "Sum", BILLS_PERIOD),
                        billing(BillingMetrics.IGNORED, "Sum", BILLS_PERIOD)), null),
                graph("Privacy requests (as each sweep found them) and receipts dead-lettered", List.of(
                        TallyMetrics.of(PrivacySweepHandler.SERVICE, PrivacySweepHandler.OPEN_REQUESTS, "Maximum",
                                HOURLY),
                        TallyMetrics.of(PrivacySweepHandler.SERVICE, PrivacySweepHandler.OVERDUE_REQUESTS,
                                "Maximum", HOURLY)),
                        List.of(TallyMetrics.of(WorkHandler.SERVICE, WorkHandler.RECEIPTS_DEAD_LETTERED, "Sum",
                                HOURLY))));
        List<IMetric> depths = new ArrayList<>();
        deadLetters.forEach((name, queue) -> depths.add(QueueAlarms.depth(queue, HOURLY).with(
                MetricOptions.builder().label(name).build())));
        List<IMetric> errors = new ArrayList<>();
        functions.forEach(function -> errors.add(function.function().metricErrors(MetricOptions.builder()
                .statistic("Sum").period(HOURLY).label(function.getNode().getPath()).build())));
        dashboard.addWidgets(
                graph("Dead-letter queues (messages visible, the most each hour)", depths, null),
                graph("Function errors per hour", errors, null));
        dashboard.addWidgets(AlarmStatusWidget.Builder.create()
                .title("Alarms")
                .alarms(alarms)
                .width(2 * WIDTH).height(HEIGHT).build());
    }

    private static IMetric billing(String name, String statistic, Duration period) {
        return TallyMetrics.of(BillingMetrics.SERVICE, name, statistic, period);
    }

    private static IWidget graph(String title, List<? extends IMetric> left, List<? extends IMetric> right) {
        GraphWidget.Builder graph = GraphWidget.Builder.create().title(title).width(WIDTH).height(HEIGHT)
                .left(List.copyOf(left));
        if (right != null) {
            graph.right(List.copyOf(right));
        }
        return graph.build();
    }

    Dashboard dashboard() {
        return dashboard;
    }
}
