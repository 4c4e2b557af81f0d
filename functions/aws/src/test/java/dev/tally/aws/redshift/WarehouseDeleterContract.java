package dev.tally.aws.redshift;

import dev.tally.privacy.PrivacyConfig;
import dev.tally.privacy.RequestType;
import dev.tally.privacy.SubjectType;
import dev.tally.privacy.target.TargetOutcome;
import dev.tally.privacy.target.TargetWork;
import dev.tally.privacy.warehouse.WarehouseDeleter;
import dev.tally.privacy.warehouse.WarehouseExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link WarehouseDeleter} does, whatever the database, seen through the {@link WarehouseExecutor} as the
 * worker uses it: exactly the subjects' rows go — ids with quotes and backslashes, Unicode, emails in any case —
 * and nobody else's; each table and each request gets its count; discovery finds the base tables with the column
 * only; a second run deletes nothing; a missing table fails naming it; a failing statement leaves its table as it
 * was; and no subject id reaches a log line or an error. Each test works in a schema of its own.
 */
abstract class WarehouseDeleterContract {
    /** Ids a naive escaping gets wrong: in Redshift {@code 'a\''b'} is {@code a'} followed by {@code b'}. */
    private static final String QUOTE_BACKSLASH = "a\\'b";
    private static final String TRAILING_BACKSLASH = "o'brien\\";
    private static final String PLAIN = "u-1";
    private static final String EMAIL = "Alice.Smith@Example.COM";
    /** Rows that must stay: near misses of the ids deleted, in every way escaping or case could blur them. */
    private static final List<String> OTHERS = List.of("a\\b", "a'b", "o'brien", "o'brien\\\\", "U-1", "u-2",
            "ünï-çødé 日本 😀", "");

    protected abstract WarehouseDeleter deleter();

    protected abstract Connection connect() throws SQLException;

    /**
     * The next statement of a deletion matching {@code sql} fails, before it changes anything — with a serialization
     * failure when {@code transientFailure}, else with an error retrying does not cure.
     */
    protected abstract void failNextStatementMatching(Pattern sql, boolean transientFailure);

    protected abstract void clearFaults();

    protected String schema;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private ch.qos.logback.core.OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender;
    private ch.qos.logback.classic.Level previousLevel;
    private PrintStream stdout;
    private PrintStream stderr;

    @BeforeEach
    void seed() throws SQLException {
        schema = "pd_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
            for (String table : List.of("tracks", "pages")) {
                statement.execute("CREATE TABLE " + schema + "." + table
                        + " (user_id VARCHAR(512), email VARCHAR(512), n INTEGER)");
            }
            statement.execute("CREATE TABLE " + schema + ".products (sku VARCHAR(64), email VARCHAR(512))");
            statement.execute("CREATE VIEW " + schema + ".tracks_view AS SELECT * FROM " + schema + ".tracks");
            statement.execute("CREATE TABLE " + schema + ".numeric_ids (user_id INTEGER)");
        }
        insert("tracks", QUOTE_BACKSLASH, null, 3);
        insert("tracks", TRAILING_BACKSLASH, null, 1);
        insert("tracks", PLAIN, EMAIL, 2);
        insert("pages", QUOTE_BACKSLASH, null, 1);
        insert("pages", PLAIN, null, 4);
        for (String other : OTHERS) {
            insert("tracks", other, "other@example.com", 1);
            insert("pages", other, "ALICE.SMITH@example.org", 1);
        }
        // Whichever SLF4J binding the class path has (logback with S3Mock, else slf4j-simple) writes to one of them.
        stdout = System.out;
        stderr = System.err;
        System.setOut(new PrintStream(new Tee(stdout, log), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(stderr, log), true, StandardCharsets.UTF_8));
        captureLogback();
    }

    /**
     * With logback as the binding, an appender of its own on {@code dev.tally} at INFO: once S3Mock (Spring Boot) has
     * started in this JVM, it has set logback's levels and console, and INFO lines would not reach the streams.
     */
    private void captureLogback() {
        if (!(org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context)) {
            return;
        }
        var encoder = new ch.qos.logback.classic.encoder.PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger %message %exception%n");
        encoder.start();
        appender = new ch.qos.logback.core.OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(new Tee(java.io.OutputStream.nullOutputStream(), log));
        appender.start();
        ch.qos.logback.classic.Logger tally = context.getLogger("dev.tally");
        previousLevel = tally.getLevel();
        tally.setLevel(ch.qos.logback.classic.Level.INFO);
        tally.addAppender(appender);
    }

    private void releaseLogback() {
        if (appender != null) {
            ch.qos.logback.classic.Logger tally = ((ch.qos.logback.classic.LoggerContext)
                    org.slf4j.LoggerFactory.getILoggerFactory()).getLogger("dev.tally");
            tally.detachAppender(appender);
            tally.setLevel(previousLevel);
            appender.stop();
            appender = null;
        }
    }

    @AfterEach
    void dropSchema() throws SQLException {
        System.setOut(stdout);
        System.setErr(stderr);
        releaseLogback();
        clearFaults();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void shouldDeleteExactlyTheSubjectsRows_andCountThemPerTableAndPerRequest() throws Exception {
        TargetOutcome outcome = execute("\"tables\": [\"" + schema + ".tracks\", \"" + schema + ".pages\"], "
                + "\"batch_size\": 1", SubjectType.USER_ID, List.of(QUOTE_BACKSLASH, TRAILING_BACKSLASH), List.of(PLAIN));

        assertThat(outcome).isEqualTo(new TargetOutcome.Done(Map.of(
                "req-a", Map.of("rows_deleted", 5L, "tables", Map.of(schema + ".tracks", 4L, schema + ".pages", 1L)),
                "req-b", Map.of("rows_deleted", 6L, "tables", Map.of(schema + ".tracks", 2L, schema + ".pages", 4L)))));
        assertThat(userIds("tracks")).containsExactlyInAnyOrderElementsOf(OTHERS);
        assertThat(userIds("pages")).containsExactlyInAnyOrderElementsOf(OTHERS);
        assertNoSubjectIdLogged();
    }

    @Test
    void shouldMatchEmailsWithoutCase_andLeaveOtherAddresses() throws Exception {
        TargetOutcome outcome = execute("\"tables\": [\"" + schema + ".tracks\", \"" + schema + ".pages\"]",
                SubjectType.EMAIL, List.of("alice.smith@EXAMPLE.com "), List.of());

        assertThat(outcome).isEqualTo(new TargetOutcome.Done(Map.of("req-a", Map.of("rows_deleted", 2L,
                "tables", Map.of(schema + ".tracks", 2L, schema + ".pages", 0L)))));
        assertThat(count("tracks", "email = '" + EMAIL + "'")).isZero();
        assertThat(count("pages", "LOWER(email) = 'alice.smith@example.org'")).isEqualTo(OTHERS.size());
        assertNoSubjectIdLogged("alice.smith");
    }

    @Test
    void shouldDiscoverOnlyTheBaseTablesWithTheColumn_andDeleteFromThem() throws Exception {
        assertThat(deleter().tablesWithColumn(List.of(schema), "user_id"))
                .containsExactly(schema + ".numeric_ids", schema + ".pages", schema + ".tracks");
        assertThat(deleter().tablesWithColumn(List.of(schema), "email"))
                .containsExactly(schema + ".pages", schema + ".products", schema + ".tracks");
        assertThat(deleter().tablesWithColumn(List.of("pd_no_such_schema"), "email")).isEmpty();

        TargetOutcome outcome = execute("\"schemas\": [\"" + schema + "\"]", SubjectType.EMAIL,
                List.of(EMAIL), List.of());

        assertThat(outcome).isEqualTo(new TargetOutcome.Done(Map.of("req-a", Map.of("rows_deleted", 2L,
                "tables", Map.of(schema + ".pages", 0L, schema + ".products", 0L, schema + ".tracks", 2L)))));
    }

    @Test
    void shouldDeleteNothing_whenTheSameWorkRunsAgain() throws Exception {
        String entry = "\"tables\": [\"" + schema + ".tracks\", \"" + schema + ".pages\"]";
        execute(entry, SubjectType.USER_ID, List.of(QUOTE_BACKSLASH), List.of(PLAIN));

        TargetOutcome again = execute(entry, SubjectType.USER_ID, List.of(QUOTE_BACKSLASH), List.of(PLAIN));

        assertThat(again).isEqualTo(new TargetOutcome.Done(Map.of(
                "req-a", Map.of("rows_deleted", 0L, "tables", Map.of(schema + ".tracks", 0L, schema + ".pages", 0L)),
                "req-b", Map.of("rows_deleted", 0L, "tables", Map.of(schema + ".tracks", 0L, schema + ".pages", 0L)))));
        assertThat(userIds("tracks")).hasSize(OTHERS.size() + 1);
    }

    @Test
    void shouldFailNamingTheTable_whenAConfiguredTableDoesNotExist() throws Exception {
        TargetOutcome outcome = execute("\"tables\": [\"" + schema + ".missing\", \"" + schema + ".tracks\"]",
                SubjectType.USER_ID, List.of(PLAIN), List.of());

        assertThat(outcome).isEqualTo(new TargetOutcome.Failed("table " + schema + ".missing does not exist"));
        assertThat(count("tracks", "user_id = '" + PLAIN + "'")).isEqualTo(2);
        assertNoSubjectIdLogged();
    }

    @Test
    void shouldFailWithoutQuotingTheIds_whenTheColumnHasAnotherType() throws Exception {
        TargetOutcome outcome = execute("\"tables\": [\"" + schema + ".numeric_ids\"]", SubjectType.USER_ID,
                List.of(PLAIN, QUOTE_BACKSLASH), List.of());

        assertThat(outcome).isInstanceOf(TargetOutcome.Failed.class);
        assertThat(((TargetOutcome.Failed) outcome).error()).startsWith("table " + schema + ".numeric_ids: ")
                .doesNotContain(PLAIN).doesNotContain("a\\").doesNotContain("'b");
        assertNoSubjectIdLogged();
    }

    @Test
    void shouldLeaveTheTableAsItWas_whenAStatementFailsForGood_andCompleteOnTheRetry() throws Exception {
        String entry = "\"tables\": [\"" + schema + ".tracks\"]";
        failNextStatementMatching(Pattern.compile("\"tracks\" WHERE \"user_id\" IN \\([^,]*\\)$"), false);

        TargetOutcome failed = execute(entry, SubjectType.USER_ID, List.of(QUOTE_BACKSLASH, TRAILING_BACKSLASH),
                List.of(PLAIN));

        assertThat(failed).isInstanceOf(TargetOutcome.Failed.class);
        assertThat(((TargetOutcome.Failed) failed).error()).startsWith("table " + schema + ".tracks: ");
        assertThat(userIds("tracks")).hasSize(OTHERS.size() + 6);
        clearFaults();
        assertThat(execute(entry, SubjectType.USER_ID, List.of(QUOTE_BACKSLASH, TRAILING_BACKSLASH), List.of(PLAIN)))
                .isInstanceOf(TargetOutcome.Done.class);
        assertThat(userIds("tracks")).containsExactlyInAnyOrderElementsOf(OTHERS);
        assertNoSubjectIdLogged();
    }

    @Test
    void shouldAskForARetry_whenTheDatabaseReportsASerializationFailure() throws Exception {
        failNextStatementMatching(Pattern.compile("\"tracks\" WHERE \"user_id\" IN"), true);

        TargetOutcome outcome = execute("\"tables\": [\"" + schema + ".tracks\"]", SubjectType.USER_ID,
                List.of(PLAIN), List.of());

        assertThat(outcome).isInstanceOf(TargetOutcome.Retry.class);
        assertThat(count("tracks", "user_id = '" + PLAIN + "'")).isEqualTo(2);
        assertNoSubjectIdLogged();
    }

    /** Two requests (req-a, req-b; req-b left out when empty) through the executor, on a target of {@code entry}. */
    private TargetOutcome execute(String entry, SubjectType type, List<String> a, List<String> b) {
        PrivacyConfig config = PrivacyConfig.parse("{\"targets\": [{\"name\": \"warehouse\", \"kind\": \"WAREHOUSE\", "
                + "\"columns\": {\"USER_ID\": \"user_id\", \"EMAIL\": \"email\"}, " + entry + "}]}");
        Map<String, List<String>> subjects = b.isEmpty() ? Map.of("req-a", a) : Map.of("req-a", a, "req-b", b);
        TargetOutcome outcome = new WarehouseExecutor(deleter()).execute(new TargetWork(config.targets().get(0),
                RequestType.DELETE, type, subjects, 1));
        String text = outcome.toString();
        for (String id : subjectIds()) {
            assertThat(text).as("the outcome").doesNotContain(id);
        }
        return outcome;
    }

    private static List<String> subjectIds() {
        return List.of(QUOTE_BACKSLASH, TRAILING_BACKSLASH, PLAIN, EMAIL.toLowerCase(java.util.Locale.ROOT));
    }

    private void assertNoSubjectIdLogged(String... more) {
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).as("the log is captured").contains("warehouse target warehouse");
        List<String> ids = new ArrayList<>(subjectIds());
        ids.addAll(List.of(more));
        for (String id : ids) {
            assertThat(logged.toLowerCase(java.util.Locale.ROOT)).as("the log").doesNotContain(id);
        }
        assertThat(logged).doesNotContain("DELETE FROM").doesNotContain("CHR(92)");
    }

    private void insert(String table, String userId, String email, int rows) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO " + schema + "." + table + " (user_id, email, n) VALUES (?, ?, ?)")) {
            for (int i = 0; i < rows; i++) {
                statement.setString(1, userId);
                statement.setString(2, email);
                statement.setInt(3, i);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private List<String> userIds(String table) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT user_id FROM " + schema + "." + table)) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private long count(String table, String where) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + schema + "." + table + " WHERE "
                     + where)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Writes to both streams: the log stays visible and is captured. */
    private static final class Tee extends java.io.OutputStream {
        // The capture is shared by stdout and stderr: writes are serialized on it.
        private final java.io.OutputStream first;
        private final java.io.OutputStream second;

        Tee(java.io.OutputStream first, java.io.OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            synchronized (second) {
                second.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            first.write(b, off, len);
            synchronized (second) {
                second.write(b, off, len);
            }
        }
    }
}
