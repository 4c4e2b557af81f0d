package dev.tally.local;

/** A service the local AWS stack can run, and the emulator that stands in for it. */
public enum LocalService {
    /** DynamoDB, by dynalite (Node.js, a child process). */
    DYNAMODB("dynalite"),
    /** S3, by Adobe S3Mock (in this JVM; needs {@code com.adobe.testing:s3mock} on the classpath). */
    S3("S3Mock"),
    /** SQS, by ElasticMQ (in this JVM; needs {@code org.elasticmq:elasticmq-rest-sqs_2.13} on the classpath). */
    SQS("ElasticMQ"),
    /** The Redshift stand-in: a throwaway PostgreSQL cluster from the installed binaries. */
    POSTGRES("PostgreSQL");

    private final String emulator;

    LocalService(String emulator) {
        this.emulator = emulator;
    }

    /** The name of the program that emulates this service, for messages. */
    public String emulator() {
        return emulator;
    }
}
