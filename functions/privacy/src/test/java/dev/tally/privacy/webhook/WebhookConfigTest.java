package dev.tally.privacy.webhook;

import static dev.tally.privacy.webhook.WebhookTargets.async;
import static dev.tally.privacy.webhook.WebhookTargets.sync;
import static dev.tally.privacy.webhook.WebhookTargets.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.privacy.PrivacyConfig.InvalidConfigException;
import dev.tally.privacy.webhook.WebhookConfig.Mode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhookConfigTest {

    @Test
    void shouldReadTheSpecExampleEntry_withDefaults() {
        WebhookConfig config = WebhookConfig.from(target(sync("")));

        assertThat(config.mode()).isEqualTo(Mode.SYNC);
        assertThat(config.method()).isEqualTo("POST");
        assertThat(config.maxIdsPerCall()).isEqualTo(100);
        assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.rateLimitPerSecond()).isEmpty();
        assertThat(config.secretHeader()).contains(new WebhookConfig.SecretHeader("X-Api-Key", "crm-key"));
        assertThat(config.asyncJob()).isEmpty();
    }

    @Test
    void shouldAcceptTheContractsSampleEntry_ignoringItsAsyncFieldsOnSync() {
        WebhookConfig config = WebhookConfig.from(target("""
                {"name": "crm", "kind": "WEBHOOK", "url": "https://crm.example/delete", "method": "POST", "mode": "SYNC",
                 "body": "{\\"request\\": \\"{{request_id}}\\", \\"ids\\": {{subject_ids_json}}}",
                 "headers": {"Content-Type": "application/json"},
                 "secret_header": {"name": "X-Api-Key", "secret_id": "crm-key"},
                 "request_types": ["DELETE", "SUPPRESS_WITH_DELETE"], "max_ids_per_call": 100,
                 "job_id_path": "$.job.id", "status_url": "https://crm.example/jobs/{{job_id}}",
                 "status_path": "$.state", "done_values": ["done"], "failed_values": ["failed"]}"""));

        assertThat(config.mode()).isEqualTo(Mode.SYNC);
        assertThat(config.asyncJob()).isEmpty();
    }

    @Test
    void shouldReadTheAsyncFields_andTheNewOnes() {
        WebhookConfig config = WebhookConfig.from(target(async(", \"timeout_seconds\": 2.5, "
                + "\"rate_limit_per_second\": 0.5, \"poll_interval_seconds\": 30, \"max_ids_per_call\": 7")));

        assertThat(config.timeout()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.rateLimitPerSecond()).hasValue(0.5);
        assertThat(config.maxIdsPerCall()).isEqualTo(7);
        assertThat(config.asyncJob()).hasValueSatisfying(job -> {
            assertThat(job.doneValues()).containsExactly("done");
            assertThat(job.failedValues()).containsExactly("failed");
            assertThat(job.pollInterval()).isEqualTo(Duration.ofSeconds(30));
            assertThat(job.jobIdPath()).hasToString("$.job.id");
        });
    }

    @Test
    void shouldAcceptTheLocalModeExample_ofDocsPrivacyLocal() {
        WebhookConfig config = WebhookConfig.from(target("""
                {"name": "crm", "kind": "WEBHOOK", "url": "http://127.0.0.1:9/delete", "method": "POST", "mode": "SYNC",
                 "body": "{\\"ids\\": {{subject_ids_json}}}", "headers": {"Content-Type": "application/json"},
                 "secret_header": {"name": "X-Api-Key", "secret_id": "crm-key"}, "request_types": ["DELETE"]}"""));

        assertThat(config.headers()).containsOnlyKeys("Content-Type");
    }

    @Test
    void shouldDefaultToOneIdPerCall_whenATemplateNamesOneSubject() {
        WebhookConfig config = WebhookConfig.from(target("""
                {"name": "per-user", "kind": "WEBHOOK", "method": "DELETE",
                 "url": "https://api.example/users/{{subject_id}}?reason={{request_type}}"}"""));

        assertThat(config.maxIdsPerCall()).isEqualTo(1);
        assertThat(config.body()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing url          | {"name": "crm", "kind": "WEBHOOK", "body": "{{subject_ids_json}}"}                                  | targets[crm].url is required
            unknown mode         | {"name": "crm", "kind": "WEBHOOK", "mode": "LATER", "url": "https://x.example/{{subject_id}}"}      | targets[crm].mode 'LATER' is not one of [SYNC, ASYNC_JOB, ACCEPTED]
            unknown field        | {"name": "crm", "kind": "WEBHOOK", "url": "https://x.example/{{subject_id}}", "retries": 3}         | targets[crm]: unknown field 'retries'
            not a URL            | {"name": "crm", "kind": "WEBHOOK", "url": "ftp://x.example/{{subject_id}}"}                        | targets[crm].url must be an absolute http or https URL
            unknown placeholder  | {"name": "crm", "kind": "WEBHOOK", "url": "https://x.example/{{user}}"}                            | targets[crm].url has an unknown placeholder {{user}}
            job id in the call   | {"name": "crm", "kind": "WEBHOOK", "url": "https://x.example/{{job_id}}/{{subject_id}}"}           | targets[crm].url has an unknown placeholder {{job_id}}
            unclosed placeholder | {"name": "crm", "kind": "WEBHOOK", "url": "https://x.example/{{subject_id"}                        | targets[crm].url has a '{{' without '}}'
            no subjects          | {"name": "crm", "kind": "WEBHOOK", "url": "https://x.example/", "body": "{}"}                     | targets[crm].body names no subjects
            json in quotes       | {"name": "crm", "kind": "WEBHOOK", "url": "https://x.example/", "body": "{\\"ids\\": \\"{{subject_ids_json}}\\"}"} | targets[crm].body is not JSON once filled in
            text out of quotes   | {"name": "crm", "kind": "WEBHOOK", "url": "https://x.example/", "body": "{\\"r\\": {{request_id}}, \\"ids\\": {{subject_ids_json}}}"} | targets[crm].body is not JSON once filled in
            one id, many a call  | {"name": "crm", "kind": "WEBHOOK", "url": "https://x.example/{{subject_id}}", "max_ids_per_call": 5} | targets[crm].max_ids_per_call must be 1
            too many per call    | {"name": "crm", "kind": "WEBHOOK", "url": "https://x.example/", "body": "{{subject_ids_json}}", "max_ids_per_call": 5001} | targets[crm].max_ids_per_call must be at most 5000
            unknown method       | {"name": "crm", "kind": "WEBHOOK", "method": "SEND", "url": "https://x.example/{{subject_id}}"}    | targets[crm].method must be one of
            body with GET        | {"name": "crm", "kind": "WEBHOOK", "method": "GET", "url": "https://x.example/", "body": "{{subject_ids_json}}"} | targets[crm].body is not sent with GET
            zero timeout         | {"name": "crm", "kind": "WEBHOOK", "url": "https://x.example/{{subject_id}}", "timeout_seconds": 0} | targets[crm].timeout_seconds must be a positive number
            negative rate        | {"name": "crm", "kind": "WEBHOOK", "url": "https://x.example/{{subject_id}}", "rate_limit_per_second": -1} | targets[crm].rate_limit_per_second must be a positive number
            restricted header    | {"name": "crm", "kind": "WEBHOOK", "url": "https://x.example/{{subject_id}}", "headers": {"Host": "a"}} | targets[crm].headers.Host is a header the HTTP client sets itself
            ids in a header      | {"name": "crm", "kind": "WEBHOOK", "url": "https://x.example/{{subject_id}}", "headers": {"X-Ids": "{{subject_ids_json}}"}} | targets[crm].headers.X-Ids has an unknown placeholder {{subject_ids_json}}
            secret header twice  | {"name": "crm", "kind": "WEBHOOK", "url": "https://x.example/{{subject_id}}", "headers": {"x-api-key": "a"}, "secret_header": {"name": "X-Api-Key", "secret_id": "k"}} | targets[crm].headers.x-api-key is given twice
            secret without id    | {"name": "crm", "kind": "WEBHOOK", "url": "https://x.example/{{subject_id}}", "secret_header": {"name": "X-Api-Key"}} | targets[crm].secret_header.secret_id is required
            async without path   | {"name": "crm", "kind": "WEBHOOK", "mode": "ASYNC_JOB", "url": "https://x.example/{{subject_id}}"} | targets[crm].job_id_path is required for mode ASYNC_JOB
            async without url    | {"name": "crm", "kind": "WEBHOOK", "mode": "ASYNC_JOB", "url": "https://x.example/{{subject_id}}", "job_id_path": "$.id"} | targets[crm].status_url is required
            async without done   | {"name": "crm", "kind": "WEBHOOK", "mode": "ASYNC_JOB", "url": "https://x.example/{{subject_id}}", "job_id_path": "$.id", "status_url": "https://x.example/{{job_id}}", "status_path": "$.s"} | targets[crm].done_values is required for mode ASYNC_JOB
            bad JSON path        | {"name": "crm", "kind": "WEBHOOK", "mode": "ASYNC_JOB", "url": "https://x.example/{{subject_id}}", "job_id_path": "job.id"} | targets[crm].job_id_path is not a JSON path
            ids in a status url  | {"name": "crm", "kind": "WEBHOOK", "mode": "ASYNC_JOB", "url": "https://x.example/{{subject_id}}", "job_id_path": "$.id", "status_url": "https://x.example/{{subject_id}}"} | targets[crm].status_url has an unknown placeholder {{subject_id}}
            done also failed     | {"name": "crm", "kind": "WEBHOOK", "mode": "ASYNC_JOB", "url": "https://x.example/{{subject_id}}", "job_id_path": "$.id", "status_url": "https://x.example/{{job_id}}", "status_path": "$.s", "done_values": ["ok"], "failed_values": ["ok"]} | targets[crm].failed_values shares a value with done_values
            """)
    void shouldRefuseAnEntry_namingTheField(String why, String entry, String message) {
        assertThatThrownBy(() -> WebhookConfig.from(target(entry)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("privacy config: " + message);
    }

    @Test
    void shouldRefuseABadEntry_whenTheExecutorIsBuilt() {
        assertThatThrownBy(() -> new WebhookExecutor(java.util.List.of(target(
                "{\"name\": \"crm\", \"kind\": \"WEBHOOK\", \"mode\": \"ASYNC_JOB\", \"url\": \"https://x.example/{{subject_id}}\"}")),
                id -> "secret"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("targets[crm].job_id_path");
    }
}
