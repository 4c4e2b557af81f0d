package dev.tally.infra.history;

import dev.tally.functions.history.Ec2EventsHandler;
import dev.tally.functions.history.EcsEventsHandler;
import dev.tally.functions.history.HistoryFunctionConfig;
import dev.tally.infra.Deployment;
import dev.tally.infra.data.DynamoTables;
import dev.tally.infra.function.FunctionJars;
import dev.tally.infra.function.TallyFunction;
import dev.tally.infra.nag.Nag;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * The ECS/EBS history (docs/history-store.md): the table, the event functions behind their queues and rules, the
 * scheduled reconciler, the product-area map published from the areas file, and the bus policy that lets the staging
 * accounts' forwarding stacks put their events on the bus the rules listen on.
 *
 * <p>No SnapStart for the event functions: they drain SQS batches, so a cold start delays no caller, and a snapshot
 * would hold what they build at init (SDK clients, the ingest thread pool).
 */
public final class HistoryStack extends Stack {
    /** The service these resources belong to, in the areas file. */
    public static final String SERVICE = "tally-history";

    private final Table table;
    private final EventPipeline ecs;
    private final EventPipeline ec2;
    private final Reconciliation reconciliation;
    private final ProductAreaMapResource productAreaMap;

    public HistoryStack(Construct scope, String id, StackProps props, Deployment deployment) {
        super(scope, id, props);
        table = DynamoTables.history(this, "HistoryTable");
        Map<String, String> environment = Map.of(
                HistoryFunctionConfig.TABLE, table.getTableName(),
                HistoryFunctionConfig.RETENTION_DAYS, String.valueOf(deployment.config().history().retentionDays()));
        ecs = new EventPipeline(this, "EcsEvents", "Tally: records ECS task and container instance state changes",
                deployment.jars().code(FunctionJars.HISTORY), EcsEventsHandler.class, environment,
                deployment.logRetention());
        ec2 = new EventPipeline(this, "Ec2Events", "Tally: records EBS volume attachments and EC2 terminations",
                deployment.jars().code(FunctionJars.HISTORY), Ec2EventsHandler.class, environment,
                deployment.logRetention());
        for (EventPipeline pipeline : new EventPipeline[] {ecs, ec2}) {
            table.grantWriteData(pipeline.function().function());
            pipeline.function().acceptWildcards("The CDK's table grant covers the table's indexes; the event functions "
                    + "write items by the table's own key only", Nag.tableIndexes(table));
        }
        new HistoryRules(this, "Rules", ecs.queue(), ecs.deadLetters(), ec2.queue(), ec2.deadLetters());
        if (!deployment.config().stagingAccounts().isEmpty()) {
            new StagingEventsPolicy(this, "StagingEvents", deployment.config().stagingAccounts());
        }
        reconciliation = new Reconciliation(this, "Reconciliation", deployment, table);
        productAreaMap = new ProductAreaMapResource(this, "ProductAreaMap", deployment, table, ecs.deadLetters());
    }

    /** The history table; the billing stack reads the history and the product-area map from it. */
    public ITable table() {
        return table;
    }

    /** Every function of the stack, for the alarms. */
    public List<TallyFunction> functions() {
        return List.of(ecs.function(), ec2.function(), reconciliation.function(), productAreaMap.publisher());
    }

    /** Every dead-letter queue of the stack, for the alarms. */
    public List<IQueue> deadLetterQueues() {
        return List.of(ecs.deadLetters(), ec2.deadLetters(), reconciliation.deadLetters());
    }
}
