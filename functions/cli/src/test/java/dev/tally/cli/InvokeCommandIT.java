package dev.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tally invoke} runs each function from its Lambda jar in a fresh JVM, with the files in events/. */
class InvokeCommandIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("tally.repo.root", "../..")).normalize();

    @TempDir
    Path dir;

    @BeforeAll
    static void home() {
        System.setProperty("tally.home", ROOT.toString());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "ecs-events             | task-state-change.json | {\"recorded\":1}                  | TASK=1 | 0",
        "ecs-events             | sqs-batch.json         | {\"batchItemFailures\":[]}        | TASK=2 | 1",
        "ec2-events             | attach-volume.json     | {\"recorded\":1}                  | VOL=1  | 0",
        "ec2-events             | sqs-batch.json         | {\"batchItemFailures\":[]}        | VOL=3  | 0",
        "product-area-publisher | create.json            | Version                           | AREAMAP=13 | 0",
    })
    void shouldInvokeEachFunction_withItsSampleEvents(String function, String file, String response,
                                                      String stored, int deadLetters) throws IOException {
        Path event = ROOT.resolve("events/functions").resolve(function).resolve(file);
        Path deadLetterFile = dir.resolve("dead.jsonl");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = TallyCli.run(new String[] {"invoke", function, event.toString(), "--dead-letters",
            deadLetterFile.toString()}, new PrintWriter(out), new PrintWriter(err));

        assertThat(code).as(err.toString()).isZero();
        JsonNode parsed = JSON.readTree(out.toString());
        assertThat(parsed.toString()).contains(response);
        assertThat(err.toString()).contains("cold start: handler class loaded", stored);
        long dead = Files.exists(deadLetterFile) ? Files.readAllLines(deadLetterFile).size() : 0;
        assertThat(dead).isEqualTo(deadLetters);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "privacy-start | processing-batch.json",
        "privacy-work  | work-batch.json",
    })
    void shouldRunThePrivacyWorkers_fromTheirOwnJar_onTheSampleBatches(String function, String file)
            throws IOException {
        Path event = ROOT.resolve("events/functions/privacy-worker").resolve(file);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = TallyCli.run(new String[] {"invoke", function, event.toString(), "--dead-letters",
            dir.resolve("dead.jsonl").toString()}, new PrintWriter(out), new PrintWriter(err));

        assertThat(code).as(err.toString()).isZero();
        // The samples' requests do not exist in a fresh stack (dropped); the malformed body is parked, not retried.
        assertThat(JSON.readTree(out.toString()).toString()).isEqualTo("{\"batchItemFailures\":[]}");
        assertThat(err.toString()).contains("cold start: handler class loaded", "is malformed")
                .doesNotContain("ada@example.com");
    }

    @org.junit.jupiter.api.Test
    void shouldRollUpABillDelivery_fromTheLocalS3_withTheBillingFunctionsOwnJar() throws IOException {
        Path samples = ROOT.resolve("events/functions/billing-rollup");
        String key = "bills/123456789012-aws-billing-detailed-line-items-with-resources-and-tags-2017-02.csv.zip";
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = TallyCli.run(new String[] {"invoke", "billing-rollup", samples.resolve("s3-dbr-put.json").toString(),
            "--object", key, samples.resolve(key.substring("bills/".length())).toString(),
            "--events", ROOT.resolve("events/worked-example/events.jsonl").toString(),
            "--areas", ROOT.resolve("events/worked-example/areas.json").toString(),
            "--dead-letters", dir.resolve("dead.jsonl").toString()}, new PrintWriter(out), new PrintWriter(err));

        assertThat(code).as(err.toString()).isZero();
        JsonNode record = JSON.readTree(out.toString()).path("records").get(0);
        assertThat(record.path("status").asText()).isEqualTo("rolled_up");
        assertThat(record.path("summary").path("total_cost").asText()).isEqualTo("20.4000000000");
        assertThat(record.path("summary").path("coverage").asText()).isEqualTo("0.6099");
        assertThat(record.path("outputs").path("finalized").asBoolean()).isTrue();
        assertThat(err.toString()).contains("cold start: handler class loaded", "1 runs, 5 finalized tables");
    }

    @org.junit.jupiter.api.Test
    void shouldAnswerAnOpenDsrErasure_withThePrivacyApisOwnJar_fromItsTypedEvent() throws IOException {
        Path samples = ROOT.resolve("events/functions/privacy-api");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = TallyCli.run(new String[] {"invoke", "privacy-api",
            samples.resolve("opendsr-erasure-as-admin-jwt.json").toString(),
            "--dead-letters", dir.resolve("dead.jsonl").toString()}, new PrintWriter(out), new PrintWriter(err));

        assertThat(code).as(err.toString()).isZero();
        JsonNode response = JSON.readTree(out.toString());
        assertThat(response.path("statusCode").asInt()).as(out.toString()).isEqualTo(201);
        JsonNode body = JSON.readTree(response.path("body").asText());
        assertThat(body.path("subject_request_id").asText()).isEqualTo("a7551968-d5d6-44b2-9831-815ac9017798");
        assertThat(body.path("request_id").asText()).isNotBlank();
        assertThat(err.toString()).contains("cold start: handler class loaded").doesNotContain("johndoe@example.com");
    }
}
