package dev.tally.aws;

import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

import java.time.Duration;

/**
 * Builds AWS SDK v2 clients the way a Lambda function wants them: once per container, on the
 * lightweight URL-connection HTTP client (no Apache or Netty on the classpath), region and endpoint
 * from {@link AwsConfig}.
 */
public final class AwsClients {
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

    /** Applies region, credentials and the endpoint override of {@code service} to any client builder. */
    public static <B extends AwsClientBuilder<B, C>, C> B configure(B builder, AwsConfig config, String service) {
        builder.region(config.region()).credentialsProvider(config.credentials());
        config.endpoint(service).ifPresent(builder::endpointOverride);
        return builder;
    }
}
