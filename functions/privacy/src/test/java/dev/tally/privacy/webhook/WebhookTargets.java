package dev.tally.privacy.webhook;

import dev.tally.privacy.PrivacyConfig;
import dev.tally.privacy.Target;

/** Webhook targets as the config document gives them, for the tests. */
final class WebhookTargets {
    private WebhookTargets() {
    }

    /** The target of a config document holding just this entry. */
    static Target target(String entry) {
        return PrivacyConfig.parse("{\"targets\": [" + entry + "]}").targets().get(0);
    }

    /** A SYNC entry named crm with {@code extra} fields (", …") added. */
    static String sync(String extra) {
        return """
                {"name": "crm", "kind": "WEBHOOK", "url": "https://crm.example/privacy/delete", "method": "POST",
                 "mode": "SYNC",
                 "body": "{\\"request\\": \\"{{request_id}}\\", \\"type\\": \\"{{subject_type}}\\", \\"ids\\": {{subject_ids_json}}}",
                 "headers": {"Content-Type": "application/json", "X-Request": "{{request_id}}"},
                 "secret_header": {"name": "X-Api-Key", "secret_id": "crm-key"}%s}""".formatted(extra);
    }

    /** An ASYNC_JOB entry named jobs, polling {@code /jobs/{{job_id}}} for "done" or "failed" under $.state. */
    static String async(String extra) {
        return """
                {"name": "jobs", "kind": "WEBHOOK", "url": "https://jobs.example/erasures", "mode": "ASYNC_JOB",
                 "body": "{\\"ids\\": {{subject_ids_json}}}",
                 "secret_header": {"name": "Authorization", "secret_id": "jobs-token"},
                 "job_id_path": "$.job.id", "status_url": "https://jobs.example/jobs/{{job_id}}",
                 "status_path": "$.state", "done_values": ["done"], "failed_values": ["failed"]%s}""".formatted(extra);
    }
}
