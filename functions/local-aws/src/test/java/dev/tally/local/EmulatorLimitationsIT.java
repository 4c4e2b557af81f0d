package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.local.junit.LocalAwsTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.Get;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.InvalidAttributeNameException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Where the local emulators differ from AWS, as listed in functions/local-aws/README.md. Each test pins one gap;
 * should an upgraded emulator close it, the test fails: update the README (and drop the test).
 */
@LocalAwsTest(services = {LocalService.DYNAMODB, LocalService.S3, LocalService.SQS}, emulatorSpecific = true)
class EmulatorLimitationsIT {
    private static DynamoDbClient dynamo;
    private static S3Client s3;
    private static SqsClient sqs;
    private static String table;
    private static final Map<String, AttributeValue> ITEM = Map.of("pk", AttributeValue.fromS("a"),
            "cost", AttributeValue.fromN("1"));

    @BeforeAll
    static void clients(AwsEndpoints aws) {
        dynamo = Clients.dynamoDb(aws);
        s3 = Clients.s3(aws);
        sqs = Clients.sqs(aws);
        table = "limits-" + UUID.randomUUID();
        dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
        dynamo.putItem(b -> b.tableName(table).item(ITEM));
    }

    @AfterAll
    static void close() {
        if (dynamo != null) {
            dynamo.close();
            s3.close();
            sqs.close();
        }
    }

    private static void assertUnknownOperation(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOf(DynamoDbException.class)
                .satisfies(e -> assertThat(((DynamoDbException) e).awsErrorDetails().errorCode())
                        .isEqualTo("UnknownOperationException"));
    }

    @Test
    void dynaliteHasNoTransactionsPartiqlOrTtlUpdates() {
        assertUnknownOperation(() -> dynamo.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder()
                .put(Put.builder().tableName(table).item(ITEM).build()).build())));
        assertUnknownOperation(() -> dynamo.transactGetItems(b -> b.transactItems(TransactGetItem.builder()
                .get(Get.builder().tableName(table).key(Map.of("pk", AttributeValue.fromS("a"))).build()).build())));
        assertUnknownOperation(() -> dynamo.executeStatement(b -> b.statement("SELECT * FROM \"" + table + "\"")));
        assertUnknownOperation(() -> dynamo.updateTimeToLive(b -> b.tableName(table)
                .timeToLiveSpecification(t -> t.attributeName("expires_at").enabled(true))));
        assertUnknownOperation(() -> dynamo.describeContinuousBackups(b -> b.tableName(table)));
    }

    @Test
    void dynaliteIgnoresReturnValuesOnConditionCheckFailure() {
        assertThatThrownBy(() -> dynamo.putItem(b -> b.tableName(table).item(ITEM)
                .conditionExpression("attribute_not_exists(pk)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
                .isInstanceOf(ConditionalCheckFailedException.class)
                .satisfies(e -> assertThat(((ConditionalCheckFailedException) e).hasItem()).isFalse());
    }

    @Test
    void s3MockAnswersADeleteWithTheHiddenVersionsIdNotTheMarkers() {
        String bucket = "limits-" + UUID.randomUUID();
        s3.createBucket(b -> b.bucket(bucket));
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        String version = s3.putObject(b -> b.bucket(bucket).key("k"), RequestBody.fromString("v")).versionId();

        String answered = s3.deleteObject(b -> b.bucket(bucket).key("k")).versionId();

        String marker = s3.listObjectVersions(b -> b.bucket(bucket)).deleteMarkers().get(0).versionId();
        assertThat(answered).isEqualTo(version).isNotEqualTo(marker); // AWS answers with the marker's id
    }

    @Test
    void s3MockLacksBucketPoliciesAndEncryptionConfiguration() {
        String bucket = "limits-" + UUID.randomUUID();
        s3.createBucket(b -> b.bucket(bucket));
        assertThatThrownBy(() -> s3.putBucketPolicy(b -> b.bucket(bucket)
                .policy("{\"Version\":\"2012-10-17\",\"Statement\":[]}")))
                .isInstanceOf(AwsServiceException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).statusCode()).isEqualTo(400));
        // Taken for a second CreateBucket.
        ServerSideEncryptionRule aes = ServerSideEncryptionRule.builder()
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm("AES256")).build();
        assertThatThrownBy(() -> s3.putBucketEncryption(b -> b.bucket(bucket)
                .serverSideEncryptionConfiguration(c -> c.rules(aes))))
                .isInstanceOf(AwsServiceException.class)
                .satisfies(e -> assertThat(((AwsServiceException) e).awsErrorDetails().errorCode())
                        .isEqualTo("BucketAlreadyOwnedByYou"));
    }

    @Test
    void elasticMqRejectsRedriveAllowPolicyAndManagedSse() {
        String queue = sqs.createQueue(b -> b.queueName("limits-" + UUID.randomUUID())).queueUrl();
        assertThatThrownBy(() -> sqs.setQueueAttributes(b -> b.queueUrl(queue).attributes(Map.of(
                QueueAttributeName.REDRIVE_ALLOW_POLICY, "{\"redrivePermission\":\"allowAll\"}"))))
                .isInstanceOf(InvalidAttributeNameException.class);
        assertThatThrownBy(() -> sqs.setQueueAttributes(b -> b.queueUrl(queue).attributes(Map.of(
                QueueAttributeName.SQS_MANAGED_SSE_ENABLED, "true"))))
                .isInstanceOf(InvalidAttributeNameException.class);
    }
}
