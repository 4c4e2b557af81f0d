package dev.tally.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AwsClientsTest {

    @Test
    void shouldTakeEachPrivacyClientsEndpoint_fromTheVariableTheAwsSdkNames() {
        AwsConfig config = AwsConfig.fromEnvironment(Map.of("AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s",
                "AWS_ENDPOINT_URL_SESV2", "http://127.0.0.1:1001",
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:1002",
                "AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:1003"));

        try (SdkHttpClient http = AwsClients.httpClient();
             SesV2Client ses = AwsClients.sesV2(config, http);
             SecretsManagerClient secrets = AwsClients.secretsManager(config, http);
             SqsClient sqs = AwsClients.sqs(config, http)) {
            assertThat(ses.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:1001"));
            assertThat(secrets.serviceClientConfiguration().endpointOverride())
                    .contains(URI.create("http://127.0.0.1:1002"));
            assertThat(sqs.serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:1003"));
        }
    }
}
