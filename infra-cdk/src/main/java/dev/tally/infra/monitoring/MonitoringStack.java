package dev.tally.infra.monitoring;

import dev.tally.infra.Deployment;
import dev.tally.infra.billing.BillingStack;
import dev.tally.infra.config.MonitoringSection;
import dev.tally.infra.function.TallyFunction;
import dev.tally.infra.history.HistoryStack;
import dev.tally.infra.privacy.PrivacyStack;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;
import software.constructs.IConstruct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What tells ops that Tally needs them: for every function of the other stacks its errors, throttles and duration
 * near the timeout ({@link FunctionAlarms}); for every dead-letter queue any message in it ({@link QueueAlarms});
 * overdue privacy requests and receipts that failed for good ({@link PrivacyAlarms}); a rollup's coverage drop and
 * a bill that was not rolled up in time ({@link BillingAlarms}). Every alarm goes to one encrypted SNS topic with an
 * email subscription ({@link AlarmTopic}); the {@link TallyDashboard} shows the metrics beside the alarms.
 */
public final class MonitoringStack extends Stack {
    /** The service these resources belong to, in the areas file. */
    public static final String SERVICE = "tally-monitoring";

    private final AlarmTopic topic;
    private final List<IAlarm> alarms = new ArrayList<>();

    public MonitoringStack(Construct scope, String id, StackProps props, Deployment deployment, HistoryStack history,
                           BillingStack billing, PrivacyStack privacy) {
        super(scope, id, props);
        MonitoringSection monitoring = deployment.config().monitoring();
        topic = new AlarmTopic(this, "Alarms", deployment.config().alarmEmail());

        List<TallyFunction> functions = new ArrayList<>();
        functions.addAll(history.functions());
        functions.addAll(billing.functions());
        functions.addAll(privacy.functions());
        for (TallyFunction function : functions) {
            alarms.addAll(new FunctionAlarms(this, idOf(function), function, topic).alarms());
        }
        Map<String, IQueue> deadLetters = new LinkedHashMap<>();
        for (List<IQueue> queues : List.of(history.deadLetterQueues(), billing.deadLetterQueues(),
                privacy.deadLetterQueues())) {
            queues.forEach(queue -> deadLetters.put(queue.getNode().getPath(), queue));
        }
        deadLetters.forEach((name, queue) -> alarms.add(new QueueAlarms(this, idOf(queue), queue, name, topic).alarm()));
        alarms.addAll(new BillingAlarms(this, "Billing", monitoring, billing.distributedRollupStateMachine(), topic)
                .alarms());
        alarms.addAll(new PrivacyAlarms(this, "Privacy",
                Duration.minutes(deployment.config().privacy().sweepEveryMinutes()),
                privacy.archivePassStateMachine(), topic).alarms());

        new TallyDashboard(this, "Dashboard", deadLetters, functions,
                BillingAlarms.coverageThresholdBasisPoints(monitoring), alarms);
    }

    /** A construct id from the watched resource's path: {@code TallyHistory/EcsEvents/Handler} → {@code TallyHistoryEcsEventsHandler}. */
    private static String idOf(IConstruct watched) {
        return watched.getNode().getPath().replace("/", "");
    }

    /** The topic every alarm goes to. */
    public ITopic topic() {
        return topic.topic();
    }

    /** Every alarm of the stack. */
    public List<IAlarm> alarms() {
        return List.copyOf(alarms);
    }
}
