package dev.tally.local;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.postgresql.PGConnection;

/**
 * Redshift's {@code COPY <table> FROM 's3://<bucket>/<key>'} (as {@link RedshiftSql#copy} recognised it) on
 * PostgreSQL: reads the one object from the stack's S3 emulator by plain HTTP (no AWS SDK in this module's runtime)
 * and streams it, gunzipped for {@code GZIP}, into {@code COPY ... FROM STDIN} through the driver's CopyManager.
 * S3's errors are worded as Redshift reports them in the statement's Error.
 */
final class RedshiftDataS3Copy {
    private final Supplier<URI> s3Endpoint;

    /** {@code s3Endpoint} gives the S3 emulator's endpoint, or null while it does not run: asked at each COPY. */
    RedshiftDataS3Copy(Supplier<URI> s3Endpoint) {
        this.s3Endpoint = s3Endpoint;
    }

    /** Runs {@code copy} on {@code connection} (in its transaction, if any); returns the rows loaded. */
    long load(Connection connection, RedshiftSql.Copy copy) throws SQLException, RedshiftDataFailure {
        URI s3 = s3Endpoint.get();
        if (s3 == null) {
            throw new RedshiftDataFailure("ERROR: S3ServiceException:LocalService.S3 is not running in this local"
                    + " stack: COPY from " + copy.source() + " needs it (LocalAws.require(LocalService.S3))");
        }
        StringBuilder path = new StringBuilder("/").append(encode(copy.bucket()));
        for (String segment : copy.key().split("/", -1)) {
            path.append('/').append(encode(segment));
        }
        HttpURLConnection get;
        try {
            get = (HttpURLConnection) s3.resolve(path.toString()).toURL().openConnection();
            get.setConnectTimeout(10_000);
            get.setReadTimeout(60_000);
            int status = get.getResponseCode();
            if (status != 200) {
                String error = "";
                try (InputStream body = get.getErrorStream()) {
                    if (body != null) {
                        error = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
                if (status == 404 && error.contains("NoSuchBucket")) {
                    throw new RedshiftDataFailure("ERROR: S3ServiceException:The specified bucket does not exist,"
                            + "Status 404,Error NoSuchBucket,Bucket " + copy.bucket());
                }
                if (status == 404) {
                    throw new RedshiftDataFailure("ERROR: The specified S3 prefix '" + copy.key()
                            + "' does not exist");
                }
                throw new RedshiftDataFailure("ERROR: S3ServiceException:HTTP " + status + " for " + copy.source());
            }
        } catch (IOException e) {
            throw new RedshiftDataFailure("ERROR: S3ServiceException:cannot read " + copy.source() + ": "
                    + e.getMessage());
        }
        try (InputStream raw = get.getInputStream();
                InputStream data = copy.gzip() ? new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16)
                        : new BufferedInputStream(raw, 1 << 16)) {
            // IGNOREHEADER n: PostgreSQL skips the last of the n lines (HEADER true), the ones before are skipped here
            for (int line = 1; line < copy.ignoreHeader(); line++) {
                skipLine(data);
            }
            return connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy.postgresCopy(), data);
        } catch (IOException e) {
            throw new RedshiftDataFailure("ERROR: cannot read " + copy.source() + (copy.gzip() ? " as gzip" : "")
                    + ": " + e.getMessage());
        }
    }

    /** A key's path segment as S3's REST API takes it ({@code %20}, not {@code +}, for a space). */
    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void skipLine(InputStream in) throws IOException {
        int b;
        do {
            b = in.read();
        } while (b != -1 && b != '\n');
    }
}
