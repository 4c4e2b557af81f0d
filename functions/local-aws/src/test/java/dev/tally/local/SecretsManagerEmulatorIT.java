package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Secrets Manager endpoint over plain HTTP, as the SDK speaks it (AWS JSON 1.1). */
class SecretsManagerEmulatorIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String VALUE = "s3cr3t-value";

    private SecretsManagerEmulator secrets;

    @BeforeEach
    void start() {
        secrets = SecretsManagerEmulator.start(LocalAws.REGION, LocalAws.ACCOUNT_ID, Map.of("crm-key", VALUE));
    }

    @AfterEach
    void stop() {
        secrets.close();
    }

    private static HttpResponse<String> call(URI endpoint, String target, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String secretId) throws IOException, InterruptedException {
        return call(secrets.endpoint(), "secretsmanager.GetSecretValue", "{\"SecretId\":\"" + secretId + "\"}");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String body) {
        return (Map<String, Object>) Json.parse(body);
    }

    @Test
    void shouldAnswerTheSecret_byNameAndByArn() throws Exception {
        String arn = "arn:aws:secretsmanager:us-east-1:000000000000:secret:crm-key";
        assertThat(secrets.arn("crm-key")).isEqualTo(arn);

        for (String id : List.of("crm-key", arn)) {
            HttpResponse<String> response = get(id);

            assertThat(response.statusCode()).as(id).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
            Map<String, Object> answer = json(response.body());
            assertThat(answer).containsEntry("ARN", arn).containsEntry("Name", "crm-key")
                    .containsEntry("SecretString", VALUE).containsEntry("VersionStages", List.of("AWSCURRENT"))
                    .containsKeys("VersionId", "CreatedDate");
            assertThat(answer.get("CreatedDate")).isInstanceOf(BigDecimal.class);
            long created = ((BigDecimal) answer.get("CreatedDate")).longValue();
            assertThat(created).isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond());
        }
    }

    @Test
    void shouldAnswerResourceNotFound_forAnUnknownId() throws Exception {
        HttpResponse<String> response = get("nope");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
        assertThat(json(response.body())).isEqualTo(Map.of("__type", "ResourceNotFoundException",
                "message", "Secrets Manager can't find the specified secret."));
    }

    @Test
    void shouldServeANewVersion_afterPut_andNothing_afterRemove() throws Exception {
        String firstVersion = (String) json(get("crm-key").body()).get("VersionId");

        secrets.put("crm-key", "rotated");
        secrets.put(secrets.arn("webhook-key"), "other");

        Map<String, Object> rotated = json(get("crm-key").body());
        assertThat(rotated).containsEntry("SecretString", "rotated");
        assertThat(rotated.get("VersionId")).isNotEqualTo(firstVersion);
        assertThat(json(get("webhook-key").body())).containsEntry("SecretString", "other");
        assertThat(secrets.names()).containsExactly("crm-key", "webhook-key");
        assertThat(secrets.toString()).doesNotContain("rotated", "other", VALUE);

        assertThat(secrets.remove("crm-key")).isTrue();
        assertThat(get("crm-key").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldAnswerTheCurrentVersionOnly_byVersionIdOrStage() throws Exception {
        String versionId = (String) json(get("crm-key").body()).get("VersionId");
        String byVersion = "{\"SecretId\":\"crm-key\",\"VersionId\":\"" + versionId + "\",\"VersionStage\":\"AWSCURRENT\"}";
        String otherVersion = "{\"SecretId\":\"crm-key\",\"VersionId\":\"00000000-0000-0000-0000-000000000000\"}";
        String previous = "{\"SecretId\":\"crm-key\",\"VersionStage\":\"AWSPREVIOUS\"}";

        assertThat(call(secrets.endpoint(), "secretsmanager.GetSecretValue", byVersion).statusCode()).isEqualTo(200);
        for (String body : List.of(otherVersion, previous)) {
            HttpResponse<String> response = call(secrets.endpoint(), "secretsmanager.GetSecretValue", body);
            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(json(response.body())).containsEntry("__type", "ResourceNotFoundException");
            assertThat(response.body()).doesNotContain(VALUE);
        }
    }

    @Test
    void shouldAnswerUnknownOperation_forOtherTargets_andValidation_forAMissingId() throws Exception {
        for (String target : new String[] {"secretsmanager.ListSecrets", "secretsmanager.PutSecretValue",
                "RedshiftData.ExecuteStatement", null}) {
            HttpResponse<String> response = call(secrets.endpoint(), target, "{\"SecretId\":\"crm-key\"}");

            assertThat(response.statusCode()).as(target).isEqualTo(400);
            assertThat(response.headers().firstValue("x-amzn-ErrorType")).as(target).hasValue("UnknownOperationException");
            assertThat(json(response.body())).containsEntry("__type", "UnknownOperationException");
            assertThat(response.body()).doesNotContain(VALUE);
        }
        HttpResponse<String> missing = call(secrets.endpoint(), "secretsmanager.GetSecretValue", "{}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(json(missing.body())).containsEntry("__type", "ValidationException");
        HttpResponse<String> notJson = call(secrets.endpoint(), "secretsmanager.GetSecretValue", "{\"SecretId\":");
        assertThat(json(notJson.body())).containsEntry("__type", "SerializationException");
    }

    @Test
    void shouldRunThroughLocalAws_withTheSdkEndpointVariable() throws Exception {
        LocalAws.Options options = LocalAws.Options.defaults().withSecrets(Map.of("code-hash-key", "k1"));
        assertThat(options.toString()).contains("code-hash-key").doesNotContain("k1");
        try (LocalAws aws = LocalAws.start(options, LocalService.SECRETS_MANAGER)) {
            URI endpoint = aws.endpoint(LocalService.SECRETS_MANAGER);
            assertThat(aws.environment()).containsEntry("AWS_ENDPOINT_URL_SECRETS_MANAGER", endpoint.toString());
            assertThat(aws.serviceEndpoints()).containsEntry("secrets-manager", endpoint);

            aws.secrets().put("sealing-key", "k2");

            for (Map.Entry<String, String> secret : Map.of("code-hash-key", "k1", "sealing-key", "k2").entrySet()) {
                HttpResponse<String> response = call(endpoint, "secretsmanager.GetSecretValue",
                        "{\"SecretId\":\"" + secret.getKey() + "\"}");
                assertThat(json(response.body())).containsEntry("SecretString", secret.getValue());
            }
        }
    }
}
