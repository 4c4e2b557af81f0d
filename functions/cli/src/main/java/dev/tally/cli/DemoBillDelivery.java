package dev.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.functions.billing.BillingRollupHandler;
import dev.tally.local.LocalAwsException;
import dev.tally.local.LocalService;
import dev.tally.runtime.SummingCountMetrics;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The demo's bill path, as it runs in AWS: the month's CUR put into S3 with its manifest, as AWS delivers
 * it; the S3 notification for the manifest handed to the billing function; the run written to the output
 * bucket and loaded through the Redshift Data API (the local endpoint, on PostgreSQL); the finalized table
 * read back from the warehouse. Without the PostgreSQL binaries the warehouse is left out and said so.
 */
final class DemoBillDelivery {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String BUCKET = "tally-demo-bills";
    static final String PREFIX = "cur/tally-demo/20170201-20170301/";

    private final LocalHistoryStack stack;
    private final PrintWriter out;

    DemoBillDelivery(LocalHistoryStack stack, PrintWriter out) {
        this.stack = stack;
        this.out = out;
    }

    void deliver(Path bill) throws IOException {
        boolean warehouse = true;
        try {
            stack.aws.require(List.of(LocalService.POSTGRES, LocalService.REDSHIFT_DATA));
        } catch (LocalAwsException e) {
            warehouse = false;
            out.println("No warehouse for the bill path (" + e.getMessage() + "): the runs go to S3 only.");
        }
        Map<String, String> env = new java.util.TreeMap<>(LocalBilling.prepare(stack, List.of(BUCKET)));
        if (!warehouse) {
            env.put(dev.tally.functions.billing.BillingConfig.WAREHOUSE, "none");
        }
        String part = PREFIX + "demo-assembly/tally-demo-1.csv.gz";
        String manifest = PREFIX + "tally-demo-Manifest.json";
        try (S3Client s3 = LocalBilling.s3(stack.aws)) {
            s3.putObject(b -> b.bucket(BUCKET).key(part), RequestBody.fromFile(bill));
            s3.putObject(b -> b.bucket(BUCKET).key(manifest), RequestBody.fromString("{\"assemblyId\":\"demo-assembly\","
                    + "\"bucket\":\"" + BUCKET + "\",\"compression\":\"GZIP\",\"billingPeriod\":{\"start\":"
                    + "\"20170201T000000.000Z\",\"end\":\"20170301T000000.000Z\"},\"reportKeys\":[\"" + part + "\"]}"));
        }
        out.println();
        out.println("Delivering the bill as AWS delivers a CUR: s3://" + BUCKET + "/" + manifest + " and its part, "
                + "then the S3 notification to the billing-rollup function ...");
        out.flush();
        dev.tally.functions.billing.LocalRuntime.install(env, new SummingCountMetrics());
        String event = "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{"
                + "\"bucket\":{\"name\":\"" + BUCKET + "\"},\"object\":{\"key\":\"" + manifest + "\"}}}]}";
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        new BillingRollupHandler().handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                response, null);
        JsonNode record = JSON.readTree(response.toByteArray()).path("records").path(0);
        out.printf("  %s: run %s, total %s, coverage %s; tables in s3://%s/%s%n", record.path("status").asText(),
                record.path("summary").path("run_id").asText(), record.path("summary").path("total_cost").asText(),
                record.path("summary").path("coverage").asText(), LocalBilling.OUTPUT_BUCKET,
                record.path("outputs").path("finalized").asBoolean() ? "finalized/ (a final bill) and rollups/"
                        : "rollups/ (an estimated bill: nothing finalized)");
        if (warehouse) {
            printWarehouse();
        }
    }

    private void printWarehouse() {
        String table = LocalBilling.SCHEMA + ".product_area_costs_finalized";
        try (Connection c = DriverManager.getConnection(stack.aws.jdbcUrl(), stack.aws.jdbcUser(),
                stack.aws.jdbcPassword());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT billing_period, product_area, cost FROM " + table
                     + " ORDER BY cost DESC")) {
            out.println("  " + table + ", read back from the warehouse (PostgreSQL, loaded through the Data API):");
            while (rs.next()) {
                out.printf("    %s  %-24s %18s%n", rs.getString(1), rs.getString(2), rs.getBigDecimal(3).toPlainString());
            }
        } catch (SQLException e) {
            out.println("  the warehouse could not be read back: " + e.getMessage());
        }
    }
}
