package dev.tally.functions.billing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.tally.aws.dynamodb.DeliveryTable;
import dev.tally.aws.dynamodb.DynamoDbHistoryStore;
import dev.tally.aws.dynamodb.DynamoDbProductAreaStore;
import dev.tally.aws.dynamodb.HistoryTable;
import dev.tally.history.EventFiles;
import dev.tally.local.LocalAws;
import dev.tally.rollup.ProductAreaFile;
import dev.tally.runtime.SummingCountMetrics;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One deployment of the billing function on the local stack: its own buckets, tables and warehouse schema, the
 * history and map replayed into dynalite, wired from its environment as in Lambda — and the notifications S3 sends,
 * for the integration tests.
 */
final class BillingDeployment {
    private static final ObjectMapper JSON = new ObjectMapper();

    final String bills = "bills-" + UUID.randomUUID().toString().substring(0, 8);
    final String out = "out-" + UUID.randomUUID().toString().substring(0, 8);
    final String schema = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final SummingCountMetrics counts = new SummingCountMetrics();
    final BillingDependencies dependencies;
    final BillingRollupHandler handler;
    private final LocalAws aws;
    private final S3Client s3;
    private final Map<String, String> env;

    /**
     * @param warehouse {@code none}, {@code redshift} (the Data API endpoint) or {@code jdbc}
     * @param extra     more of the function's environment
     */
    BillingDeployment(LocalAws aws, S3Client s3, DynamoDbClient dynamo, Path events, Path areas, String warehouse,
                      Map<String, String> extra) throws IOException {
        this.aws = aws;
        this.s3 = s3;
        s3.createBucket(b -> b.bucket(bills));
        s3.createBucket(b -> b.bucket(out));
        String history = "history-" + UUID.randomUUID();
        String deliveries = "deliveries-" + UUID.randomUUID();
        HistoryTable.create(dynamo, history);
        DeliveryTable.create(dynamo, deliveries);
        DynamoDbHistoryStore store = new DynamoDbHistoryStore(dynamo, history, Duration.ofDays(4000),
                java.time.Clock.systemUTC());
        EventFiles.read(events, store::record);
        new DynamoDbProductAreaStore(dynamo, history).replace(ProductAreaFile.read(areas));
        Map<String, String> env = new HashMap<>(aws.environment());
        env.putAll(Map.of(BillingConfig.OUTPUT_BUCKET, out, BillingConfig.DELIVERIES_TABLE, deliveries,
                BillingConfig.HISTORY_TABLE, history, BillingConfig.RETENTION_DAYS, "4000",
                BillingConfig.WAREHOUSE, warehouse, BillingDependencies.SCHEMA, schema,
                BillingDependencies.COPY_ROLE, "arn:aws:iam::000000000000:role/tally-copy",
                BillingDependencies.JDBC_URL, aws.jdbcUrl(), BillingDependencies.JDBC_USER, aws.jdbcUser()));
        env.put(BillingDependencies.JDBC_PASSWORD, aws.jdbcPassword());
        env.put("TALLY_REDSHIFT_CLUSTER", "local");
        env.put("TALLY_REDSHIFT_DATABASE", "dev");
        env.put("TALLY_REDSHIFT_DB_USER", aws.jdbcUser());
        env.putAll(extra);
        this.env = Map.copyOf(env);
        dependencies = BillingDependencies.fromEnvironment(env);
        handler = new BillingRollupHandler(dependencies.processor(), new BillingMetrics(counts),
                dependencies.reports());
    }

    /**
     * The function redeployed over the same buckets, tables and schema with some of its environment changed (a basis
     * added or dropped, say); its counts go to {@link #counts} too.
     */
    BillingRollupHandler reconfigured(Map<String, String> changed) {
        Map<String, String> next = new HashMap<>(env);
        next.putAll(changed);
        BillingDependencies redeployed = BillingDependencies.fromEnvironment(next);
        return new BillingRollupHandler(redeployed.processor(), new BillingMetrics(counts), redeployed.reports());
    }

    /** Puts an object into the output bucket (an upfront ledger, say). */
    void putOutput(String key, byte[] content) {
        s3.putObject(b -> b.bucket(out).key(key), RequestBody.fromBytes(content));
    }

    /** Every key in the output bucket, sorted. */
    List<String> outputKeys() {
        return s3.listObjectsV2Paginator(b -> b.bucket(out)).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key).sorted().toList();
    }

    void put(String key, byte[] content) {
        s3.putObject(b -> b.bucket(bills).key(key), RequestBody.fromBytes(content));
    }

    String eTag(String key) {
        return s3.headObject(b -> b.bucket(bills).key(key)).eTag().replace("\"", "");
    }

    JsonNode invoke(String event) throws IOException {
        return invoke(handler, event);
    }

    /** Invokes one of the function's handlers as Lambda does: the event's JSON in, the answer's out. */
    static JsonNode invoke(RequestStreamHandler handler, String event) throws IOException {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), response, null);
        return JSON.readTree(response.toByteArray());
    }

    /** A direct S3 notification, the key URL-encoded as S3 writes it. */
    String s3Event(String key, String sequencer) {
        return "{\"Records\":[" + s3Record(key, sequencer) + "]}";
    }

    String s3Record(String key, String sequencer) {
        String encoded = java.net.URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
        return "{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:CompleteMultipartUpload\","
                + "\"eventTime\":\"2017-03-02T01:00:00.000Z\",\"s3\":{\"bucket\":{\"name\":\"" + bills + "\"},"
                + "\"object\":{\"key\":\"" + encoded + "\",\"size\":3221225472,\"eTag\":\"" + eTag(key)
                + "\",\"sequencer\":\"" + sequencer + "\"}}}";
    }

    String sqsEvent(String... s3Bodies) throws IOException {
        List<String> records = new ArrayList<>();
        for (int i = 0; i < s3Bodies.length; i++) {
            records.add("{\"messageId\":\"m-" + i + "\",\"eventSource\":\"aws:sqs\",\"body\":"
                    + JSON.writeValueAsString(s3Bodies[i]) + "}");
        }
        return "{\"Records\":[" + String.join(",", records) + "]}";
    }

    String eventBridge(String key, String sequencer) {
        return "{\"version\":\"0\",\"detail-type\":\"Object Created\",\"source\":\"aws.s3\",\"time\":"
                + "\"2017-03-02T01:00:00Z\",\"detail\":{\"bucket\":{\"name\":\"" + bills + "\"},\"object\":"
                + "{\"key\":\"" + key + "\",\"size\":12,\"etag\":\"" + eTag(key) + "\",\"sequencer\":\""
                + sequencer + "\"},\"reason\":\"PutObject\"}}";
    }

    String s3Text(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(out).key(key)).asUtf8String();
    }

    List<String> rows(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(aws.jdbcUrl(), aws.jdbcUser(), aws.jdbcPassword());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql.replace("{s}", schema))) {
            List<String> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(rs.getString(i) == null ? "" : rs.getString(i));
                }
                rows.add(String.join(",", values));
            }
            return rows;
        }
    }
}
