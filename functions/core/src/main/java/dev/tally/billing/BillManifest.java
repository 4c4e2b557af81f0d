package dev.tally.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The manifest AWS writes after a bill's parts (see the deliveries contract): the legacy CUR's
 * {@code <report>-Manifest.json} ({@code bucket} + {@code reportKeys}, {@code billingPeriod},
 * {@code assemblyId}) or a Data Export's (CUR 2.0, FOCUS: {@code dataFiles} as full {@code s3://} URIs,
 * {@code executionId}; the period only in the manifest's own path, {@code BILLING_PERIOD=YYYY-MM}). Only
 * the parts a manifest lists belong to its delivery; together they are one bill.
 *
 * @param kind          which of the two
 * @param deliveryId    the delivery's id: {@code assemblyId} or {@code executionId}
 * @param billingPeriod the period the manifest names, or null when it names none
 * @param parts         the listed objects, in the manifest's order
 * @param compression   the legacy manifest's {@code compression} ({@code GZIP}, {@code ZIP}, {@code Parquet}), or
 *                      empty
 */
public record BillManifest(Kind kind, String deliveryId, YearMonth billingPeriod, List<ObjectKey> parts,
                           String compression) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PERIOD_IN_PATH = Pattern.compile("(?i)billing_period=(\\d{4}-\\d{2})(?:/|$)");
    private static final Pattern COMPACT_DATE = Pattern.compile("(\\d{4})(\\d{2})\\d{2}T.*");

    public BillManifest {
        parts = List.copyOf(parts);
    }

    /** Legacy Cost and Usage Report, or Data Exports (CUR 2.0 and FOCUS). */
    public enum Kind { CUR, DATA_EXPORTS }

    /** An S3 object a manifest lists. */
    public record ObjectKey(String bucket, String key) {
        public String uri() {
            return "s3://" + bucket + "/" + key;
        }
    }

    /** Whether an object's key names a manifest ({@code …-Manifest.json}, any case). */
    public static boolean isManifestKey(String key) {
        return key.toLowerCase(Locale.ROOT).endsWith("manifest.json");
    }

    /**
     * @param name how the manifest is named in messages, and where it lies: a path or an S3 key, whose
     *             {@code BILLING_PERIOD=YYYY-MM} gives a Data Export's period
     * @throws BillFileException if it is not JSON or not a bill manifest
     */
    public static BillManifest parse(String name, InputStream json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new BillFileException(name, "is not a valid manifest (not JSON: " + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new BillFileException(name, "cannot be read (" + e.getMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new BillFileException(name, "is not a bill manifest (not a JSON object)");
        }
        if (root.has("dataFiles")) {
            return dataExports(name, root);
        }
        if (root.has("reportKeys")) {
            return legacy(name, root);
        }
        throw new BillFileException(name, "is not a bill manifest: it has neither reportKeys (Cost and Usage Report) "
                + "nor dataFiles (Data Exports)");
    }

    private static BillManifest legacy(String name, JsonNode root) {
        String bucket = text(root, "bucket");
        if (bucket.isEmpty()) {
            throw new BillFileException(name, "is a Cost and Usage Report manifest without a bucket");
        }
        List<ObjectKey> parts = new ArrayList<>();
        for (JsonNode key : array(name, root, "reportKeys")) {
            if (!key.isTextual() || key.asText().isBlank()) {
                throw new BillFileException(name, "lists a report key that is not a string");
            }
            parts.add(new ObjectKey(bucket, key.asText()));
        }
        YearMonth period = null;
        Matcher start = COMPACT_DATE.matcher(text(root.path("billingPeriod"), "start"));
        if (start.matches()) {
            period = YearMonth.of(Integer.parseInt(start.group(1)), Integer.parseInt(start.group(2)));
        }
        return new BillManifest(Kind.CUR, text(root, "assemblyId"), period, parts, text(root, "compression"));
    }

    private static BillManifest dataExports(String name, JsonNode root) {
        List<ObjectKey> parts = new ArrayList<>();
        for (JsonNode file : array(name, root, "dataFiles")) {
            String uri = file.isTextual() ? file.asText() : "";
            if (!uri.startsWith("s3://") || uri.indexOf('/', 5) < 0) {
                throw new BillFileException(name, "lists a data file that is not an s3:// URI");
            }
            int slash = uri.indexOf('/', 5);
            parts.add(new ObjectKey(uri.substring(5, slash), uri.substring(slash + 1)));
        }
        YearMonth period = null;
        Matcher inPath = PERIOD_IN_PATH.matcher(name);
        if (inPath.find()) {
            try {
                period = YearMonth.parse(inPath.group(1));
            } catch (DateTimeParseException e) {
                period = null;
            }
        }
        return new BillManifest(Kind.DATA_EXPORTS, text(root, "executionId"), period, parts, "");
    }

    private static Iterable<JsonNode> array(String name, JsonNode root, String field) {
        JsonNode array = root.get(field);
        if (array == null || !array.isArray()) {
            throw new BillFileException(name, "is a manifest whose " + field + " is not a list");
        }
        return array;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? "" : value.asText().trim();
    }
}
