package dev.tally.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.billing.CostBasis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One delivery rolled up by the workers of a distributed run (a Step Functions Distributed Map over its parts in AWS):
 * the claimed delivery, its run id, and where the run's work lies in the output bucket — the list of its parts
 * ({@link #partsKey}, one {@link Part} each, which the map reads) and the parts' reads. Its JSON is the execution's
 * input, which the part and merge functions receive too; the field names are this class's constants, which the
 * state machine's definition uses. It holds bill keys and counts only, nothing personal.
 *
 * @param source    the manifest that started the run ({@code s3://…})
 * @param id        the delivery, as the ledger knows it
 * @param order     its order among the deliveries of its bill and period
 * @param startedAt when its claim was granted
 * @param bucket    the output bucket, where the work is
 * @param partsKey  the list of the parts there (a JSON array of {@link Part})
 * @param parts     how many parts
 * @param costBasis the basis the parts are read and merged on (§8); a delivery configured for two bases has a run, an
 *                  execution, of each ({@code id} is the delivery {@link DeliveryLedger.DeliveryId#onBasis on the
 *                  basis})
 */
public record DistributedRun(String runId, String source, DeliveryLedger.DeliveryId id, String order,
                             Instant startedAt, String bucket, String partsKey, int parts, CostBasis costBasis) {
    public static final String RUN_ID = "run_id";
    public static final String SOURCE = "source";
    public static final String SCOPE = "scope";
    public static final String PERIOD = "period";
    public static final String DELIVERY = "delivery";
    public static final String ORDER = "order";
    public static final String STARTED_AT = "started_at";
    public static final String BUCKET = "bucket";
    public static final String PARTS_KEY = "parts_key";
    public static final String PARTS = "parts";
    public static final String COST_BASIS = "cost_basis";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One part of the run's bill, pinned to what the delivery named (its version or ETag), with its place in the bill.
     *
     * @param index its place among the bill's parts, from 0
     */
    public record Part(int index, String bucket, String key, String versionId, String eTag, long size) {
        public static final String INDEX = "index";

        /** The part as a bill part read from the store. */
        public StoredBillPart in(ObjectStore store) {
            return new StoredBillPart(store, bucket, key, versionId, eTag, size);
        }

        public ObjectNode toJson() {
            return JSON.createObjectNode().put(INDEX, index).put("bucket", bucket).put("key", key)
                    .put("version_id", versionId).put("etag", eTag).put("size", size);
        }

        public static Part fromJson(JsonNode n) {
            return new Part(n.path(INDEX).asInt(), required(n, "bucket"), required(n, "key"),
                    n.path("version_id").asText(""), n.path("etag").asText(""), n.path("size").asLong(-1));
        }
    }

    /** The parts list as the run's {@link #partsKey} holds it. */
    public static byte[] partsJson(List<Part> parts) {
        ArrayNode array = JSON.createArrayNode();
        parts.forEach(part -> array.add(part.toJson()));
        return array.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException if the JSON is not a list of parts in index order */
    public static List<Part> partsFromJson(JsonNode array) {
        List<Part> parts = new ArrayList<>();
        for (JsonNode node : array) {
            Part part = Part.fromJson(node);
            if (part.index() != parts.size()) {
                throw new IllegalArgumentException("the parts list has part " + part.index() + " at " + parts.size());
            }
            parts.add(part);
        }
        return parts;
    }

    /**
     * The execution's name: the same for every notification of one delivery, so that a duplicate cannot start a
     * second run (Step Functions refuses a second execution of a name); made of the period and a digest of the
     * delivery, within the 80 characters of {@code [A-Za-z0-9_-]} a name may have.
     */
    public static String executionName(DeliveryLedger.DeliveryId id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((id.scope() + "\n" + id.period() + "\n"
                    + id.key()).getBytes(StandardCharsets.UTF_8));
            return "bill-" + (id.period() == null ? "unknown" : id.period().toString()) + "-"
                    + HexFormat.of().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    public String executionName() {
        return executionName(id);
    }

    /** Where the read of one part is kept: beside the parts list, {@code part-00000.json.gz} for the first. */
    public String partReadKey(int index) {
        return partsKey.substring(0, partsKey.lastIndexOf('/') + 1) + String.format("part-%05d.json.gz", index);
    }

    public ObjectNode toJson() {
        ObjectNode node = JSON.createObjectNode().put(RUN_ID, runId).put(SOURCE, source);
        node.putObject(DELIVERY).put(SCOPE, id.scope())
                .put(PERIOD, id.period() == null ? null : id.period().toString()).put("key", id.key());
        return node.put(ORDER, order).put(STARTED_AT, startedAt.toString()).put(BUCKET, bucket)
                .put(PARTS_KEY, partsKey).put(PARTS, parts).put(COST_BASIS, costBasis.id());
    }

    /** @throws IllegalArgumentException naming a field that is missing or wrong */
    public static DistributedRun fromJson(JsonNode n) {
        JsonNode delivery = n.path(DELIVERY);
        JsonNode period = delivery.path(PERIOD);
        try {
            return new DistributedRun(required(n, RUN_ID), required(n, SOURCE), new DeliveryLedger.DeliveryId(
                    required(delivery, SCOPE), period.isTextual() ? YearMonth.parse(period.asText()) : null,
                    required(delivery, "key")), required(n, ORDER), Instant.parse(required(n, STARTED_AT)),
                    required(n, BUCKET), required(n, PARTS_KEY), n.path(PARTS).asInt(),
                    // an execution started before runs had a basis read its parts on the unblended one
                    n.has(COST_BASIS) ? CostBasis.parse(required(n, COST_BASIS)) : CostBasis.UNBLENDED);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("a distributed run's " + STARTED_AT + " or " + PERIOD
                    + " is no date: " + e.getParsedString());
        }
    }

    private static String required(JsonNode n, String field) {
        if (!n.path(field).isTextual()) {
            throw new IllegalArgumentException("a distributed run without its " + field);
        }
        return n.get(field).asText();
    }
}
