package dev.tally.infra.billing;

import dev.tally.infra.nag.Nag;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

import java.util.List;

/**
 * Where rollups land: the output bucket (encrypted, private, TLS only, versioned, access-logged), and the bucket
 * the access logs of the stack's buckets go to.
 */
final class RollupBuckets extends Construct {
    private final Bucket accessLogs;
    private final Bucket output;

    RollupBuckets(Construct scope, String id) {
        super(scope, id);
        accessLogs = Bucket.Builder.create(this, "AccessLogs")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder().expiration(Duration.days(365)).build()))
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        Nag.suppress(accessLogs, "AwsSolutions-S1",
                "This is the access-log bucket; logging its own accesses into itself would log forever");
        output = Bucket.Builder.create(this, "Output")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(true)
                .versioned(true)
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix("output/")
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    Bucket accessLogs() {
        return accessLogs;
    }

    Bucket output() {
        return output;
    }
}
