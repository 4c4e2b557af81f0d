package dev.tally.local;

import java.util.Optional;

/** A service the local AWS stack can run, and the emulator that stands in for it. */
public enum LocalService {
    /** DynamoDB, by dynalite (Node.js, a child process). */
    DYNAMODB("dynalite", "dynamodb", "DYNAMODB"),
    /** S3, by Adobe S3Mock (in this JVM; needs {@code com.adobe.testing:s3mock} on the classpath). */
    S3("S3Mock", "s3", "S3"),
    /** SQS, by ElasticMQ (in this JVM; needs {@code org.elasticmq:elasticmq-rest-sqs_2.13} on the classpath). */
    SQS("ElasticMQ", "sqs", "SQS"),
    /** The Redshift stand-in: a throwaway PostgreSQL cluster from the installed binaries. */
    POSTGRES("PostgreSQL", null, null),
    /**
     * The Redshift Data API (AWS JSON 1.1), in this JVM, running its statements on {@link #POSTGRES} (started with
     * it) and reading {@code COPY} sources from {@link #S3} when that runs; needs {@code org.postgresql:postgresql}
     * on the classpath.
     */
    REDSHIFT_DATA("Redshift Data API emulator", "redshift-data", "REDSHIFT_DATA"),
    /**
     * SES v2's {@code SendEmail} (REST-JSON), in this JVM, writing each message to an outbox directory instead of
     * sending it ({@link LocalAws#sesOutbox()}); needs nothing but the JDK.
     */
    SES("SES v2 emulator", "sesv2", "SESV2"),
    /**
     * Secrets Manager's {@code GetSecretValue} (AWS JSON 1.1), in this JVM, serving secrets held in memory
     * ({@link LocalAws#secrets()}); needs nothing but the JDK.
     */
    SECRETS_MANAGER("Secrets Manager emulator", "secrets-manager", "SECRETS_MANAGER");

    private final String emulator;
    private final String endpointServiceName;
    private final String endpointVariableSuffix;

    LocalService(String emulator, String endpointServiceName, String endpointVariableSuffix) {
        this.emulator = emulator;
        this.endpointServiceName = endpointServiceName;
        this.endpointVariableSuffix = endpointVariableSuffix;
    }

    /** The name of the program that emulates this service, for messages. */
    public String emulator() {
        return emulator;
    }

    /**
     * The AWS service's name for endpoint overrides ({@code dynamodb}, {@code s3}, {@code sqs},
     * {@code redshift-data}, {@code sesv2}, {@code secrets-manager}); empty for {@link #POSTGRES}, which is no AWS API.
     * Always the variable's suffix in lower case with {@code -} for {@code _}, as {@code AwsConfig} maps
     * {@code AWS_ENDPOINT_URL_<SUFFIX>} to a service name.
     */
    public Optional<String> endpointServiceName() {
        return Optional.ofNullable(endpointServiceName);
    }

    /**
     * The environment variable the AWS SDKs and CLI take this service's endpoint from
     * ({@code AWS_ENDPOINT_URL_DYNAMODB}, ..., {@code AWS_ENDPOINT_URL_REDSHIFT_DATA}, {@code AWS_ENDPOINT_URL_SESV2},
     * {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}: the AWS SDK v2's names); empty for {@link #POSTGRES}.
     */
    public Optional<String> endpointVariable() {
        return Optional.ofNullable(endpointVariableSuffix).map(suffix -> "AWS_ENDPOINT_URL_" + suffix);
    }
}
