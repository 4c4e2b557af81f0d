package dev.tally.infra.privacy;

import dev.tally.aws.dynamodb.PrivacyTable;
import dev.tally.infra.function.TallyFunction;
import dev.tally.infra.nag.Nag;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * What the privacy functions keep (docs/privacy-store.md): the records table — key {@code pk}/{@code sk}, the sparse
 * index of open requests, TTL on {@code expires_at}, as {@link PrivacyTable} creates it locally — encrypted with a
 * key of its own (rotated yearly), with point-in-time recovery, kept when the stack goes; and the secret the keyed
 * hashes and the sealing key derive from (docs/privacy.md), generated once, never rotated (see below).
 */
final class PrivacyRecords extends Construct {
    /** Length of the generated key secret; PrivacyKeys asks for at least 32 characters. */
    static final int KEY_SECRET_LENGTH = 64;

    /** Why a function of the stack may have the wildcard parts of the table grant ({@link #grantReadWrite}). */
    private static final String TABLE_GRANT_WILDCARDS = "The CDK's table grant covers the table's indexes (open requests are "
            + "listed through the index 'open', docs/privacy-store.md), and its key grant the KMS actions DynamoDB "
            + "needs to encrypt and decrypt items with the table's own key (GenerateDataKey*, ReEncrypt*), on that "
            + "key only";

    private final Table table;
    private final Key tableKey;
    private final Secret keySecret;

    PrivacyRecords(Construct scope, String id) {
        super(scope, id);
        tableKey = Key.Builder.create(this, "TableKey")
                .description("Tally privacy records (requests, receipts, codes, suppressions)")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        table = Table.Builder.create(this, "Table")
                .partitionKey(Attribute.builder().name(PrivacyTable.PK).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(PrivacyTable.SK).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute(PrivacyTable.EXPIRES_AT)
                .encryption(TableEncryption.CUSTOMER_MANAGED)
                .encryptionKey(tableKey)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .deletionProtection(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                .indexName(PrivacyTable.OPEN_INDEX)
                .partitionKey(Attribute.builder().name(PrivacyTable.OPEN_PK).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(PrivacyTable.DUE_AT).type(AttributeType.STRING).build())
                .projectionType(ProjectionType.KEYS_ONLY)
                .build());
        keySecret = Secret.Builder.create(this, "KeySecret")
                .description("Tally privacy: the secret the keyed hashes of subject ids and the sealing key derive from")
                .generateSecretString(SecretStringGenerator.builder()
                        .passwordLength(KEY_SECRET_LENGTH)
                        .excludePunctuation(true)
                        .build())
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Nag.suppress(keySecret, "AwsSolutions-SMG4", "Not rotated on purpose: the keyed hashes of subject ids "
                + "(suppressions, finished requests) and the sealed ids of open requests are made with keys derived "
                + "from this secret; a new value would make every stored hash unmatchable and every sealed id "
                + "unopenable. Replacing it is a migration, not a rotation");
    }

    /**
     * What every privacy function but a slice needs of the records: the table read and written (with its key), the
     * key secret read; the grant's wildcard parts (the table's indexes, DynamoDB's KMS actions) accepted.
     */
    void grantReadWrite(TallyFunction function) {
        table.grantReadWriteData(function.function());
        keySecret.grantRead(function.function());
        function.acceptWildcards(TABLE_GRANT_WILDCARDS, Nag.tableIndexes(table), "Action::kms:ReEncrypt*",
                "Action::kms:GenerateDataKey*");
    }

    Table table() {
        return table;
    }

    Key tableKey() {
        return tableKey;
    }

    Secret keySecret() {
        return keySecret;
    }
}
