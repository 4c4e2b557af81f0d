package dev.tally.aws;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;

/**
 * Builds AWS SDK v2 clients the way a Lambda function wants them: once per container, on the
 * lightweight URL-connection HTTP client (no Apache or Netty on the classpath), region and endpoint
 * from {@link AwsConfig}.
 */
public final class AwsClients {
    /** SES v2's name for endpoint overrides: {@code AWS_ENDPOINT_URL_SESV2}. */
    public static final String SESV2 = "sesv2";
    /** Secrets Manager's, as {@link AwsConfig} spells {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}. */
    public static final String SECRETS_MANAGER = "secrets-manager";
    /** SQS's: {@code AWS_ENDPOINT_URL_SQS}. */
    public static final String SQS = "sqs";
    /** The Redshift Data API's: {@code AWS_ENDPOINT_URL_REDSHIFT_DATA}. */
    public static final String REDSHIFT_DATA = "redshift-data";
    /** Step Functions': {@code AWS_ENDPOINT_URL_SFN}. */
    public static final String SFN = "sfn";
    /** SNS's: {@code AWS_ENDPOINT_URL_SNS}. */
    public static final String SNS = "sns";

    private AwsClients() {
    }

    /** One HTTP client for all SDK clients of a function. */
    public static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
    }

    public static DynamoDbClient dynamoDb(AwsConfig config, SdkHttpClient http) {
        return configure(DynamoDbClient.builder(), config, "dynamodb").httpClient(http).build();
    }

    /** S3, path-style when an endpoint is overridden (emulators and LocalStack serve buckets as paths). */
    public static S3Client s3(AwsConfig config, SdkHttpClient http) {
        return configure(S3Client.builder(), config, "s3").httpClient(http)
                .forcePathStyle(config.endpoint("s3").isPresent()).build();
    }

    /** SES v2 ({@code SendEmail} of the confirmation codes). */
    public static SesV2Client sesV2(AwsConfig config, SdkHttpClient http) {
        return configure(SesV2Client.builder(), config, SESV2).httpClient(http).build();
    }

    /** Secrets Manager ({@code GetSecretValue}). */
    public static SecretsManagerClient secretsManager(AwsConfig config, SdkHttpClient http) {
        return configure(SecretsManagerClient.builder(), config, SECRETS_MANAGER).httpClient(http).build();
    }

    public static SqsClient sqs(AwsConfig config, SdkHttpClient http) {
        return configure(SqsClient.builder(), config, SQS).httpClient(http).build();
    }

    /** The Redshift Data API (the warehouse's statements). */
    public static RedshiftDataClient redshiftData(AwsConfig config, SdkHttpClient http) {
        return configure(RedshiftDataClient.builder(), config, REDSHIFT_DATA).httpClient(http).build();
    }

    public static SfnClient sfn(AwsConfig config, SdkHttpClient http) {
        return configure(SfnClient.builder(), config, SFN).httpClient(http).build();
    }

    /** SNS, for the spend alerts. */
    public static SnsClient sns(AwsConfig config, SdkHttpClient http) {
        return configure(SnsClient.builder(), config, SNS).httpClient(http).build();
    }

    /** Applies region, credentials and the endpoint override of {@code service} to any client builder. */
    public static <B extends AwsClientBuilder<B, C>, C> B configure(B builder, AwsConfig config, String service) {
        builder.region(config.region()).credentialsProvider(config.credentials());
        config.endpoint(service).ifPresent(builder::endpointOverride);
        return builder;
    }
}
