package dev.tally.infra.billing;

import dev.tally.infra.config.BillingSection;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * The bucket AWS delivers bills to: the existing one named in the config ({@code billing.billBucket.name}), or one
 * this stack creates ({@code create: true}) that the billing services (legacy CUR, Data Exports) of this account may
 * write to.
 */
final class BillBucket {
    private BillBucket() {
    }

    static IBucket of(Construct scope, String id, BillingSection billing, IBucket accessLogs) {
        if (billing.billBucketName().isPresent()) {
            return Bucket.fromBucketName(scope, id, billing.billBucketName().get());
        }
        Bucket bucket = Bucket.Builder.create(scope, id)
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .versioned(true)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("bills/")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        String account = Stack.of(scope).getAccount();
        String partition = Stack.of(scope).getPartition();
        bucket.addToResourcePolicy(PolicyStatement.Builder.create()
                .principals(List.of(new ServicePrincipal("billingreports.amazonaws.com"),
                        new ServicePrincipal("bcm-data-exports.amazonaws.com")))
                .actions(List.of("s3:PutObject", "s3:GetBucketPolicy"))
                .resources(List.of(bucket.getBucketArn(), bucket.arnForObjects("*")))
                .conditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", account),
                        "ArnLike", Map.of("aws:SourceArn", List.of(
                                "arn:" + partition + ":cur:us-east-1:" + account + ":definition/*",
                                "arn:" + partition + ":bcm-data-exports:us-east-1:" + account + ":export/*"))))
                .build());
        return bucket;
    }
}
