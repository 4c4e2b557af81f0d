package dev.tally.local;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.redshiftdata.RedshiftDataClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Real AWS SDK v2 clients for whatever {@link AwsEndpoints} points at: url-connection HTTP, path-style S3. */
final class Clients {
    private Clients() {
    }

    static DynamoDbClient dynamoDb(AwsEndpoints aws) {
        return DynamoDbClient.builder()
                .endpointOverride(aws.endpoint(LocalService.DYNAMODB))
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials(aws))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    static S3Client s3(AwsEndpoints aws) {
        return S3Client.builder()
                .endpointOverride(aws.endpoint(LocalService.S3))
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials(aws))
                .httpClient(UrlConnectionHttpClient.create())
                .forcePathStyle(true)
                .build();
    }

    static SqsClient sqs(AwsEndpoints aws) {
        return SqsClient.builder()
                .endpointOverride(aws.endpoint(LocalService.SQS))
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials(aws))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    static RedshiftDataClient redshiftData(AwsEndpoints aws) {
        return RedshiftDataClient.builder()
                .endpointOverride(aws.endpoint(LocalService.REDSHIFT_DATA))
                .region(Region.of(aws.region()))
                .credentialsProvider(credentials(aws))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static StaticCredentialsProvider credentials(AwsEndpoints aws) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(aws.accessKeyId(), aws.secretAccessKey()));
    }
}
