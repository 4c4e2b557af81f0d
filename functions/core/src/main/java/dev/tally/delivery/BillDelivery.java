package dev.tally.delivery;

import java.time.YearMonth;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An object that starts a rollup, as AWS lays bills out in S3 (the deliveries contract): a legacy DBR
 * zip (the bill itself, rewritten in place), a legacy CUR manifest, or a Data Exports (CUR 2.0, FOCUS)
 * manifest, whose listed parts are the bill. Everything else in a billing bucket — the parts themselves,
 * other files — is not a delivery.
 *
 * @param kind   which delivery
 * @param object the notification
 * @param scope  the bill the delivery refreshes, whatever the delivery: the DBR's key, the CUR report's
 *               prefix ({@code <prefix>/<report>}), the export's prefix ({@code <prefix>/<export>}) — with the
 *               bucket; deliveries of one scope and period supersede each other
 * @param period the period the key names, or null (a legacy manifest's own {@code billingPeriod} then says)
 */
public record BillDelivery(Kind kind, ObjectCreated object, String scope, YearMonth period) {
    private static final Pattern DBR = Pattern.compile(
            "(?:^|/)\\d+-aws-billing-detailed-line-items(?:-with-resources-and-tags)?-(\\d{4}-\\d{2})\\.csv\\.zip$");
    private static final Pattern EXPORT_MANIFEST = Pattern.compile(
            "^(.*)/metadata/billing_period=(\\d{4}-\\d{2})/(?:.+/)?[^/]+-manifest\\.json$");
    private static final Pattern CUR_RANGE = Pattern.compile("^(.*)/(\\d{4})(\\d{2})01-\\d{8}/(?:[^/]+/)?[^/]+$");
    private static final Pattern CUR_OVERWRITE = Pattern.compile("^(.*)/year=(\\d{4})/month=(\\d{1,2})/[^/]+$");
    private static final Pattern PART = Pattern.compile("\\.(csv|csv\\.gz|gz|csv\\.zip|zip|parquet)$");

    /** The three deliveries. */
    public enum Kind {
        /** Detailed Billing Report: the zip is the whole bill. */
        DBR,
        /** Legacy Cost and Usage Report: {@code <report>-Manifest.json} lists the parts ({@code reportKeys}). */
        CUR_MANIFEST,
        /** Data Exports: {@code metadata/BILLING_PERIOD=YYYY-MM/<export>-Manifest.json} lists {@code dataFiles}. */
        DATA_EXPORTS_MANIFEST
    }

    /** A delivery, or why the object is none. */
    public sealed interface Classified {
        /** The object is a delivery. */
        record Found(BillDelivery delivery) implements Classified {
        }

        /** An object that starts no rollup, and why (for the log and the response). */
        record Ignored(String reason) implements Classified {
        }
    }

    /** What the object's key says it is. */
    public static Classified classify(ObjectCreated object) {
        String key = object.key();
        String lower = key.toLowerCase(Locale.ROOT);
        Matcher dbr = DBR.matcher(key);
        if (dbr.find()) {
            return new Classified.Found(new BillDelivery(Kind.DBR, object, object.bucket() + "/" + key,
                    YearMonth.parse(dbr.group(1))));
        }
        if (lower.endsWith("manifest.json")) {
            Matcher export = EXPORT_MANIFEST.matcher(lower);
            if (export.matches()) {
                return new Classified.Found(new BillDelivery(Kind.DATA_EXPORTS_MANIFEST, object,
                        object.bucket() + "/" + key.substring(0, export.group(1).length()),
                        YearMonth.parse(export.group(2))));
            }
            Matcher range = CUR_RANGE.matcher(key);
            if (range.matches()) {
                return new Classified.Found(new BillDelivery(Kind.CUR_MANIFEST, object, object.bucket() + "/" + range.group(1),
                        YearMonth.of(Integer.parseInt(range.group(2)), Integer.parseInt(range.group(3)))));
            }
            Matcher overwrite = CUR_OVERWRITE.matcher(key);
            if (overwrite.matches()) {
                return new Classified.Found(new BillDelivery(Kind.CUR_MANIFEST, object,
                        object.bucket() + "/" + overwrite.group(1),
                        YearMonth.of(Integer.parseInt(overwrite.group(2)), Integer.parseInt(overwrite.group(3)))));
            }
            int slash = key.lastIndexOf('/');
            return new Classified.Found(new BillDelivery(Kind.CUR_MANIFEST, object,
                    object.bucket() + "/" + (slash < 0 ? "" : key.substring(0, slash)), null));
        }
        if (PART.matcher(lower).find()) {
            return new Classified.Ignored("a bill part or other data file: a bill is rolled up from its manifest "
                    + "(or, for a DBR, from its -aws-billing-detailed-line-items-…-YYYY-MM.csv.zip)");
        }
        return new Classified.Ignored("not a bill, a manifest or a DBR");
    }

    /** The same delivery, its period settled by the manifest when the key named none. */
    public BillDelivery withPeriod(YearMonth stated) {
        return period != null || stated == null ? this : new BillDelivery(kind, object, scope, stated);
    }
}
