package dev.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The demo's warehouse table, {@code analytics.tracks} in the stack's PostgreSQL: one row per track event of the
 * sample archive, as a pipeline loads them. {@link #fingerprint} tells the other users' rows apart from what they
 * were: their count and an md5 over them in a fixed order.
 */
final class DemoWarehouse {
    static final String TABLE = "analytics.tracks";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The other users' rows, and how many rows the subject has. */
    record Fingerprint(long subjectRows, long otherRows, String otherRowsMd5) {
    }

    private final String url;
    private final String user;
    private final String password;

    DemoWarehouse(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Creates the table afresh and loads the archive's track events; returns the row count. */
    long load(DemoArchive archive) throws SQLException {
        long rows = 0;
        try (Connection db = connect(); Statement sql = db.createStatement()) {
            sql.execute("CREATE SCHEMA IF NOT EXISTS analytics");
            sql.execute("DROP TABLE IF EXISTS " + TABLE);
            sql.execute("CREATE TABLE " + TABLE + " (message_id varchar(32), user_id varchar(64), email varchar(256),"
                    + " event varchar(64), sent_at timestamp)");
            db.setAutoCommit(false);
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO " + TABLE + " VALUES (?, ?, ?, ?, ?)")) {
                for (DemoArchive.SampleObject object : archive.objects) {
                    for (String line : object.lines()) {
                        JsonNode event = parse(line);
                        if (!event.path("type").asText().equals("track")) {
                            continue;
                        }
                        insert.setString(1, event.path("messageId").asText());
                        insert.setString(2, event.path("userId").asText());
                        insert.setString(3, event.path("context").path("traits").path("email").asText());
                        insert.setString(4, event.path("event").asText());
                        insert.setTimestamp(5, Timestamp.from(Instant.parse(event.path("timestamp").asText())));
                        insert.addBatch();
                        rows++;
                    }
                }
                insert.executeBatch();
            }
            db.commit();
        }
        return rows;
    }

    Fingerprint fingerprint(String subject) throws SQLException {
        try (Connection db = connect();
             PreparedStatement query = db.prepareStatement("SELECT count(*) FILTER (WHERE user_id = ?), "
                     + "count(*) FILTER (WHERE user_id <> ?), md5(coalesce(string_agg(concat_ws('|', message_id, "
                     + "user_id, email, event, sent_at), ',' ORDER BY message_id) FILTER (WHERE user_id <> ?), '')) "
                     + "FROM " + TABLE)) {
            for (int i = 1; i <= 3; i++) {
                query.setString(i, subject);
            }
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return new Fingerprint(row.getLong(1), row.getLong(2), row.getString(3));
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, password);
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
