package dev.tally.functions.reconciler;

import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.aws.dynamodb.DynamoDbHistoryStore;
import dev.tally.runtime.Bootstrap;
import dev.tally.runtime.CountMetrics;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;

import java.time.Clock;
import java.util.Map;

/**
 * Everything the reconciler needs, built once per execution environment: one HTTP client, the ECS,
 * EC2 and DynamoDB clients, the history store, the reconciler and its metrics ({@link Bootstrap}).
 */
final class Dependencies {
    /** The reconciler's {@code Service} dimension on its metrics. */
    static final String SERVICE = "reconciler";
    private static final Bootstrap<Dependencies> BOOTSTRAP = new Bootstrap<>(Dependencies::fromEnvironment);

    final ReconcilerConfig config;
    final EcsClient ecs;
    final Ec2Client ec2;
    final DynamoDbClient dynamo;
    final Reconciler reconciler;
    final CountMetrics metrics;

    Dependencies(ReconcilerConfig config, AwsConfig aws, Clock clock, CountMetrics metrics) {
        this.config = config;
        SdkHttpClient http = AwsClients.httpClient();
        ecs = AwsClients.configure(EcsClient.builder(), aws, "ecs").httpClient(http).build();
        ec2 = AwsClients.configure(Ec2Client.builder(), aws, "ec2").httpClient(http).build();
        dynamo = AwsClients.dynamoDb(aws, http);
        reconciler = new Reconciler(new SdkEcsInventory(ecs), new SdkEc2Inventory(ec2),
                new DynamoDbHistoryStore(dynamo, config.table(), config.retention(), clock), clock);
        this.metrics = metrics;
    }

    /** From the process's environment: {@code HISTORY_TABLE}, {@code HISTORY_RETENTION_DAYS}, {@code AWS_REGION}. */
    static Dependencies fromEnvironment(Map<String, String> env) {
        return new Dependencies(ReconcilerConfig.fromEnvironment(env), AwsConfig.fromEnvironment(env),
                Clock.systemUTC(), BOOTSTRAP.metrics(SERVICE));
    }

    static Dependencies get() {
        return BOOTSTRAP.get();
    }
}
