package dev.tally;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Small, hand-readable inputs for tests: bills in each format and EventBridge events, written the
 * way AWS writes them.
 */
public final class Fixtures {
    private Fixtures() {
    }

    public static final String EC2 = "Amazon Elastic Compute Cloud";
    public static final String S3 = "Amazon Simple Storage Service";
    public static final String SUPPORT = "AWS Support (Business)";

    /** One line item in format-neutral terms. */
    public record Row(String product, String resource, String tag, String start, String end, String cost,
                      String invoiceId) {
        public static Row of(String product, String resource, String tag, String start, String end, String cost) {
            return new Row(product, resource, tag, start, end, cost, "123456789");
        }
    }

    public static final List<String> DBR_HEADER = List.of("InvoiceID", "PayerAccountId", "LinkedAccountId",
            "RecordType", "RecordId", "ProductName", "RateId", "SubscriptionId", "PricingPlanId", "UsageType",
            "Operation", "AvailabilityZone", "ReservedInstance", "ItemDescription", "UsageStartDate", "UsageEndDate",
            "UsageQuantity", "BlendedRate", "BlendedCost", "UnBlendedRate", "UnBlendedCost", "ResourceId",
            "user:product_area");

    /** A DBR line (times as {@code 2017-02-01 00:00:00}); {@code recordType} LineItem for cost rows. */
    public static String dbrLine(String recordType, Row r) {
        return csv(r.invoiceId(), "111122223333", "111122223333", recordType, "1", r.product(), "", "", "",
                "BoxUsage", "RunInstances", "us-east-1a", "N", "desc, with comma", dbrTime(r.start()), dbrTime(r.end()),
                "1", "0.1", "99.99", "0.1", r.cost(), r.resource(), r.tag());
    }

    public static String dbr(List<Row> rows, String invoiceTotal) {
        StringBuilder out = new StringBuilder(csv(DBR_HEADER.toArray(String[]::new))).append('\n');
        for (Row r : rows) {
            out.append(dbrLine("LineItem", r)).append('\n');
        }
        if (invoiceTotal != null) {
            out.append(csv(rows.get(0).invoiceId(), "111122223333", "", "InvoiceTotal", "", "", "", "", "", "", "",
                    "", "", "Total amount for invoice", "", "", "", "", invoiceTotal, "", invoiceTotal, "", ""))
                    .append('\n');
        }
        return out.toString();
    }

    public static String cur(List<Row> rows) {
        StringBuilder out = new StringBuilder(csv("identity/LineItemId", "bill/InvoiceId",
                "bill/BillingPeriodStartDate", "lineItem/LineItemType", "lineItem/UsageStartDate",
                "lineItem/UsageEndDate", "lineItem/ResourceId", "lineItem/UnblendedCost", "lineItem/BlendedCost",
                "product/ProductName", "resourceTags/user:product_area")).append('\n');
        int id = 0;
        for (Row r : rows) {
            out.append(csv("id" + id++, r.invoiceId(), "2017-02-01T00:00:00Z", lineItemType(r), isoTime(r.start()),
                    isoTime(r.end()), r.resource(), r.cost(), "77.7", r.product(), r.tag())).append('\n');
        }
        return out.toString();
    }

    /** A row with a resource is usage; one without is a fee (a shared charge, §3 rule 5). */
    static String lineItemType(Row r) {
        return r.resource().isEmpty() ? "Fee" : "Usage";
    }

    public static String cur2(List<Row> rows) {
        StringBuilder out = new StringBuilder(csv("bill_invoice_id", "bill_billing_period_start_date",
                "line_item_usage_start_date", "line_item_usage_end_date", "line_item_resource_id",
                "line_item_unblended_cost", "product_product_name", "resource_tags", "line_item_line_item_type"))
                .append('\n');
        for (Row r : rows) {
            String tags = r.tag().isEmpty() ? "{}" : "{\"user_product_area\":\"" + r.tag() + "\",\"user_team\":\"x\"}";
            out.append(csv(r.invoiceId(), "2017-02-01T00:00:00.000Z", isoTime(r.start()), isoTime(r.end()),
                    r.resource(), r.cost(), r.product(), tags, lineItemType(r))).append('\n');
        }
        return out.toString();
    }

    public static String focus(List<Row> rows) {
        StringBuilder out = new StringBuilder(csv("BilledCost", "BillingPeriodStart", "ChargeCategory",
                "ChargePeriodStart", "ChargePeriodEnd", "InvoiceId", "ResourceId", "ServiceName", "Tags"))
                .append('\n');
        for (Row r : rows) {
            String tags = r.tag().isEmpty() ? "" : "{\"product_area\":\"" + r.tag() + "\"}";
            out.append(csv(r.cost(), "2017-02-01T00:00:00Z", r.resource().isEmpty() ? "Purchase" : "Usage",
                    isoTime(r.start()), isoTime(r.end()),
                    r.invoiceId(), r.resource(), r.product(), tags)).append('\n');
        }
        return out.toString();
    }

    /** {@code 02-01T00:15} style shorthand or full ISO, to DBR's {@code 2017-02-01 00:15:00}. */
    static String dbrTime(String t) {
        return isoTime(t).replace('T', ' ').replace("Z", "");
    }

    /** Expands {@code 02-01T00:15} (2017) to {@code 2017-02-01T00:15:00Z}. */
    public static String isoTime(String t) {
        if (t.isEmpty()) {
            return t;
        }
        String full = t.length() == 11 ? "2017-" + t + ":00Z" : t;
        return full;
    }

    public static String csv(String... fields) {
        List<String> quoted = new ArrayList<>();
        for (String f : fields) {
            if (f.contains(",") || f.contains("\"") || f.contains("\n")) {
                quoted.add('"' + f.replace("\"", "\"\"") + '"');
            } else {
                quoted.add(f);
            }
        }
        return String.join(",", quoted);
    }

    // ---- events ----------------------------------------------------------------------------------

    public static String containerInstance(String ciArn, String ec2, int version) {
        return "{\"version\":\"0\",\"id\":\"ci-" + version + "\",\"detail-type\":\"ECS Container Instance State Change\","
                + "\"source\":\"aws.ecs\",\"time\":\"2017-02-01T00:00:00Z\",\"detail\":{\"containerInstanceArn\":\""
                + ciArn + "\",\"ec2InstanceId\":\"" + ec2 + "\",\"status\":\"ACTIVE\",\"version\":" + version + "}}";
    }

    /** A task event; null fields are left out, times in {@link #isoTime} shorthand. */
    public static String task(String taskArn, String cluster, String group, String ciArn, String cpu,
                              String startedAt, String stoppedAt, String lastStatus, int version) {
        StringBuilder d = new StringBuilder();
        d.append("\"taskArn\":\"").append(taskArn).append('"');
        d.append(",\"clusterArn\":\"arn:aws:ecs:us-east-1:111122223333:cluster/").append(cluster).append('"');
        if (group != null) {
            d.append(",\"group\":\"").append(group).append('"');
        }
        if (ciArn != null) {
            d.append(",\"containerInstanceArn\":\"").append(ciArn).append('"');
        }
        if (cpu != null) {
            d.append(",\"cpu\":\"").append(cpu).append('"');
        }
        if (startedAt != null) {
            d.append(",\"startedAt\":\"").append(isoTime(startedAt)).append('"');
        }
        if (stoppedAt != null) {
            d.append(",\"stoppedAt\":\"").append(isoTime(stoppedAt)).append('"');
        }
        d.append(",\"lastStatus\":\"").append(lastStatus).append('"');
        d.append(",\"version\":").append(version);
        return "{\"version\":\"0\",\"id\":\"" + taskArn.hashCode() + "-" + version
                + "\",\"detail-type\":\"ECS Task State Change\",\"source\":\"aws.ecs\","
                + "\"time\":\"2017-02-01T00:00:00Z\",\"detail\":{" + d + "}}";
    }

    public static String volumeCall(String eventName, String volume, String instance, String eventTime,
                                    Long attachTimeMillis, String errorCode) {
        String response = attachTimeMillis == null ? "null"
                : "{\"volumeId\":\"" + volume + "\",\"instanceId\":\"" + instance + "\",\"attachTime\":"
                + attachTimeMillis + "}";
        return "{\"version\":\"0\",\"id\":\"" + volume + eventTime + "\",\"detail-type\":\"AWS API Call via CloudTrail\","
                + "\"source\":\"aws.ec2\",\"time\":\"" + isoTime(eventTime) + "\",\"detail\":{\"eventTime\":\""
                + isoTime(eventTime) + "\",\"eventSource\":\"ec2.amazonaws.com\",\"eventName\":\"" + eventName + "\","
                + (errorCode == null ? "" : "\"errorCode\":\"" + errorCode + "\",")
                + "\"requestParameters\":{\"volumeId\":\"" + volume + "\",\"instanceId\":\"" + instance + "\"},"
                + "\"responseElements\":" + response + "}}";
    }

    public static String terminated(String instance, String time) {
        return "{\"version\":\"0\",\"id\":\"t-" + instance + "\",\"detail-type\":\"EC2 Instance State-change Notification\","
                + "\"source\":\"aws.ec2\",\"time\":\"" + isoTime(time) + "\",\"detail\":{\"instance-id\":\"" + instance
                + "\",\"state\":\"terminated\"}}";
    }

    public static long millis(String t) {
        return java.time.Instant.parse(isoTime(t)).toEpochMilli();
    }

    public static Path write(Path dir, String name, String content) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path writeLines(Path dir, String name, List<String> lines) {
        return write(dir, name, String.join("\n", lines) + "\n");
    }

    public static Path areas(Path dir, Map<String, String> areas) {
        StringBuilder json = new StringBuilder("{");
        areas.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":\"")
                .append(v).append('"'));
        return write(dir, "areas.json", json.append('}').toString());
    }
}
