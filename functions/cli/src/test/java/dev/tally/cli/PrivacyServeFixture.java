package dev.tally.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One {@code tally serve} for a test class (a WEBHOOK target whose API key is a local secret), an admin token from
 * {@code tally token}, and a memory of every subject id, email, code and token handed to it, so that the test can
 * check at the end that the server's log holds none of them.
 */
abstract class PrivacyServeFixture {
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    /** Subject ids, emails and tokens used: none may appear in a server's log. */
    private static final Set<String> SECRET = ConcurrentHashMap.newKeySet();
    /** Codes, six digits: none may appear in a server's log as a number of its own. */
    private static final Set<String> CODES = ConcurrentHashMap.newKeySet();
    static final List<String> LOGS = Collections.synchronizedList(new ArrayList<>());

    static Path dir;
    static Path config;
    static ServeProcess server;
    static PrivacyHttp api;
    static String admin;

    @BeforeAll
    static void startServer() throws Exception {
        dir = Files.createTempDirectory("tally-serve-it-");
        config = dir.resolve("privacy.json");
        Files.writeString(config, """
                {"targets": [{"name": "crm", "kind": "WEBHOOK", "url": "http://127.0.0.1:9/delete", "method": "POST",
                  "mode": "SYNC", "body": "{\\"ids\\": {{subject_ids_json}}}",
                  "headers": {"Content-Type": "application/json"},
                  "secret_header": {"name": "X-Api-Key", "secret_id": "crm-key"},
                  "request_types": ["DELETE", "SUPPRESS_WITH_DELETE"]}],
                 "secrets": {"crm-key": "crm-api-key-%s"}}
                """.formatted(RUN));
        // The API alone: its tests read the processing queue and set statuses themselves (PrivacyProcessingIT runs
        // the workers).
        server = ServeProcess.start(dir.resolve("main"), config, "--no-workers");
        api = new PrivacyHttp(server);
        admin = secret(server.tokenFromJar("--subject", "operator-" + RUN, "--scope", "privacy:admin"));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (api != null) {
            api.close();
        }
        if (server != null) {
            server.close();
        }
        if (dir != null && !Boolean.getBoolean("tally.it.keep")) { // -Dtally.it.keep=true keeps logs and state
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    static String secret(String value) {
        SECRET.add(value);
        return value;
    }

    static String code(String value) {
        CODES.add(value);
        return value;
    }

    /** A subject id of this run, remembered as one the logs must not hold. */
    static String subject(String label) {
        return secret("subj-" + label + "-" + RUN);
    }

    /** An end user's token: sub {@code subject}, email {@code subject@users.tally.local} (both remembered). */
    static String endUser(ServeProcess on, String subject) throws Exception {
        secret(TokenCommand.defaultEmail(subject));
        return secret(on.token(subject, null));
    }

    /** The log is the server's (it logged calls) and holds no subject id, email, code, token or secret of this run. */
    static void assertLogHoldsNothingPersonal(String log) {
        assertThat(log).isNotBlank().contains("privacy API POST /privacy-requests -> 201");
        assertThat(log).doesNotContain("Bearer", "eyJ", "@users.tally.local", "crm-api-key-");
        for (String secret : SECRET) {
            assertThat(log).doesNotContain(secret);
        }
        for (String code : CODES) {
            assertThat(Pattern.compile("(?<![0-9A-Za-z])" + code + "(?![0-9A-Za-z])").matcher(log).find())
                    .as("a confirmation code in the log").isFalse();
        }
    }
}
