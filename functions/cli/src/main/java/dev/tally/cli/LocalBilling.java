package dev.tally.cli;

import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.aws.dynamodb.DeliveryTable;
import dev.tally.functions.billing.BillingConfig;
import dev.tally.local.LocalAws;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The billing function's world on this machine, beside the history's ({@link LocalHistoryStack}): the
 * deliveries table, the output bucket, the buckets bills arrive in (S3Mock), and the warehouse reached the
 * way it is in AWS — through the Redshift Data API (the local endpoint, on a throwaway PostgreSQL).
 */
final class LocalBilling {
    static final String OUTPUT_BUCKET = "tally-rollups";
    static final String DELIVERIES = "tally-deliveries";
    static final String SCHEMA = "tally";

    private LocalBilling() {
    }

    /** Creates the table and buckets, and returns the billing function's environment (the history's plus its own). */
    static Map<String, String> prepare(LocalHistoryStack stack, Collection<String> billBuckets) {
        LocalAws aws = stack.aws;
        DeliveryTable.create(stack.dynamo, DELIVERIES);
        try (S3Client s3 = s3(aws)) {
            for (String bucket : new java.util.TreeSet<>(concat(billBuckets, OUTPUT_BUCKET))) {
                try {
                    s3.createBucket(b -> b.bucket(bucket));
                } catch (BucketAlreadyOwnedByYouException alreadyThere) {
                    // a bill bucket may be the output bucket too
                }
            }
        }
        Map<String, String> env = new TreeMap<>(stack.environment);
        env.putAll(aws.environment());
        env.put(BillingConfig.OUTPUT_BUCKET, OUTPUT_BUCKET);
        env.put(BillingConfig.DELIVERIES_TABLE, DELIVERIES);
        env.put(BillingConfig.HISTORY_TABLE, LocalHistoryStack.TABLE);
        env.put(BillingConfig.WAREHOUSE, "redshift");
        env.put("WAREHOUSE_SCHEMA", SCHEMA);
        env.put("TALLY_REDSHIFT_CLUSTER", "local");
        env.put("TALLY_REDSHIFT_DATABASE", "dev");
        env.put("TALLY_REDSHIFT_DB_USER", aws.jdbcUser());
        env.put("TALLY_REDSHIFT_COPY_ROLE_ARN", "arn:aws:iam::" + LocalAws.ACCOUNT_ID + ":role/tally-local-copy");
        return env;
    }

    static S3Client s3(LocalAws aws) {
        return AwsClients.s3(AwsConfig.local(aws.serviceEndpoints()), AwsClients.httpClient());
    }

    private static java.util.List<String> concat(Collection<String> buckets, String more) {
        java.util.List<String> all = new java.util.ArrayList<>(buckets);
        all.add(more);
        return all;
    }

    /**
     * {@code tally invoke billing-rollup}: publishes the areas, replays the events, creates the buckets the event
     * names and puts the objects given into them, then returns the function's environment.
     *
     * @param objects key, file, key, file, ... (keys as given, not URL-encoded)
     */
    static Map<String, String> prepareInvoke(LocalHistoryStack stack, java.nio.file.Path event, java.util.List<String> objects,
                                             java.nio.file.Path events, java.nio.file.Path areas, java.io.PrintWriter err)
            throws java.io.IOException {
        if (areas != null) {
            stack.publish(areas);
            err.println("tally: published " + areas + " through the product-area-publisher function");
        }
        if (events != null) {
            EventReplay.Result replay = stack.replay(events);
            err.printf("tally: replayed %,d events through the ecs-events and ec2-events functions%n", replay.events());
        }
        java.util.List<String> buckets = new java.util.ArrayList<>();
        for (dev.tally.delivery.S3Notifications.Notice notice : dev.tally.delivery.S3Notifications.parse(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(event.toFile()))) {
            if (notice instanceof dev.tally.delivery.S3Notifications.Notice.Created created) {
                buckets.add(created.object().bucket());
            } else if (notice instanceof dev.tally.delivery.S3Notifications.Notice.Test test && !test.bucket().isEmpty()) {
                buckets.add(test.bucket());
            }
        }
        Map<String, String> env = prepare(stack, buckets);
        if (!objects.isEmpty() && buckets.isEmpty()) {
            throw new dev.tally.InputException(event + ": names no bucket to put the --object files into");
        }
        try (S3Client s3 = s3(stack.aws)) {
            for (int i = 0; i + 1 < objects.size(); i += 2) {
                String key = objects.get(i);
                java.nio.file.Path file = java.nio.file.Path.of(objects.get(i + 1));
                if (!java.nio.file.Files.isRegularFile(file)) {
                    throw new dev.tally.InputException(file + ": no such file (--object " + key + " " + file + ")");
                }
                s3.putObject(b -> b.bucket(buckets.get(0)).key(key),
                        software.amazon.awssdk.core.sync.RequestBody.fromFile(file));
                err.println("tally: put " + file + " at s3://" + buckets.get(0) + "/" + key);
            }
        }
        return env;
    }

    /** What the output bucket holds now, in one line. */
    static String outputs(LocalHistoryStack stack) {
        try (S3Client s3 = s3(stack.aws)) {
            var keys = s3.listObjectsV2Paginator(b -> b.bucket(OUTPUT_BUCKET)).contents().stream()
                    .map(o -> o.key()).toList();
            long runs = keys.stream().filter(k -> k.startsWith("runs/") && k.endsWith("/run.json")).count();
            long finalized = keys.stream().filter(k -> k.startsWith("finalized/") && k.endsWith("/part-0.csv")).count();
            return keys.size() + " objects (" + runs + " runs, " + finalized + " finalized tables)";
        } catch (RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
