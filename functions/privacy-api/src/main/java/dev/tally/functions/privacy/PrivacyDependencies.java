package dev.tally.functions.privacy;

import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.aws.dynamodb.DynamoDbPrivacyStore;
import dev.tally.aws.secrets.SecretsManagerSecretSource;
import dev.tally.aws.ses.SesCodeSender;
import dev.tally.aws.sqs.SqsProcessingQueue;
import dev.tally.privacy.PrivacyKeys;
import dev.tally.privacy.PrivacyRequests;
import dev.tally.runtime.Bootstrap;
import dev.tally.runtime.CountMetrics;
import software.amazon.awssdk.http.SdkHttpClient;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the privacy functions need, built once per execution environment ({@link Bootstrap}) from
 * {@link PrivacyApiConfig}: one HTTP client; the DynamoDB, SES, Secrets Manager and SQS clients; the keys
 * (derived from the secret, read once at cold start); the store, the code sender and the queue; the engine and
 * the API.
 */
final class PrivacyDependencies {
    private static final Bootstrap<PrivacyDependencies> BOOTSTRAP = new Bootstrap<>(PrivacyDependencies::new);

    private final PrivacyRequests requests;
    private final PrivacyApi api;
    private final CountMetrics sweepMetrics;

    private PrivacyDependencies(Map<String, String> env) {
        PrivacyApiConfig config = PrivacyApiConfig.fromEnvironment(env);
        AwsConfig aws = AwsConfig.fromEnvironment(env);
        SdkHttpClient http = AwsClients.httpClient();
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        PrivacyKeys keys = PrivacyKeys.fromSecret(new SecretsManagerSecretSource(AwsClients.secretsManager(aws, http))
                .secret(config.keySecretId()), random);
        requests = new PrivacyRequests(
                new DynamoDbPrivacyStore(AwsClients.dynamoDb(aws, http), config.table(), config.recordRetention()),
                new SesCodeSender(AwsClients.sesV2(aws, http), config.codeFrom(),
                        Optional.of(config.sesConfigurationSet()).filter(s -> !s.isEmpty())),
                new SqsProcessingQueue(AwsClients.sqs(aws, http), config.queueUrl()), keys, config.privacy(),
                new PrivacyRequests.Settings(config.codePolicy(), config.recordRetention()), clock, random);
        api = new PrivacyApi(requests, new Callers(config.adminPrincipals(), config.adminScope()),
                BOOTSTRAP.metrics("privacy-api"));
        sweepMetrics = BOOTSTRAP.metrics(PrivacySweepHandler.SERVICE);
    }

    static PrivacyDependencies get() {
        return BOOTSTRAP.get();
    }

    /** For local runs ({@code tally serve}, {@code tally invoke}): the environment to read, and where counts go. */
    static void useLocally(Map<String, String> env, CountMetrics metrics) {
        BOOTSTRAP.useLocally(env, metrics);
    }

    PrivacyRequests requests() {
        return requests;
    }

    PrivacyApi api() {
        return api;
    }

    CountMetrics sweepMetrics() {
        return sweepMetrics;
    }
}
