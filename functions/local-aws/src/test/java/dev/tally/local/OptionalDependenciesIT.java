package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * What a consumer such as the CLI gets without S3Mock, ElasticMQ, the PostgreSQL JDBC driver and JUnit on its
 * classpath: this module's classes alone, in a class loader that sees nothing else but the JDK, still run DynamoDB,
 * SES and SECRETS_MANAGER, and asking for S3, SQS or REDSHIFT_DATA fails with a message naming the artifact to add.
 */
class OptionalDependenciesIT {

    private static URLClassLoader moduleOnly() {
        URL classes = LocalAws.class.getProtectionDomain().getCodeSource().getLocation();
        return new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader());
    }

    private static Object start(ClassLoader loader, String service) throws Throwable {
        Class<?> localAws = loader.loadClass(LocalAws.class.getName());
        @SuppressWarnings({"unchecked", "rawtypes"})
        Object constant = Enum.valueOf((Class) loader.loadClass(LocalService.class.getName()), service);
        Object array = java.lang.reflect.Array.newInstance(constant.getClass(), 1);
        java.lang.reflect.Array.set(array, 0, constant);
        Method start = localAws.getMethod("start", array.getClass());
        try {
            return start.invoke(null, array);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void theIsolatedLoaderReallyLacksTheOptionalLibraries() throws Exception {
        try (URLClassLoader loader = moduleOnly()) {
            assertThat(loader.loadClass(LocalAws.class.getName())).isNotSameAs(LocalAws.class);
            for (String absent : new String[] {"com.adobe.testing.s3mock.S3MockApplication",
                    "org.elasticmq.rest.sqs.SQSRestServerBuilder", "org.postgresql.Driver",
                    "org.junit.jupiter.api.Test"}) {
                assertThatThrownBy(() -> loader.loadClass(absent)).isInstanceOf(ClassNotFoundException.class);
            }
        }
    }

    @Test
    void dynamoDbRunsWithoutThem() throws Throwable {
        try (URLClassLoader loader = moduleOnly(); AutoCloseable aws = (AutoCloseable) start(loader, "DYNAMODB")) {
            Class<?> service = loader.loadClass(LocalService.class.getName());
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object dynamodb = Enum.valueOf((Class) service, "DYNAMODB");
            URI endpoint = (URI) aws.getClass().getMethod("endpoint", service).invoke(aws, dynamodb);
            assertThat(Processes.answers(endpoint.getPort())).isTrue();
        }
    }

    @Test
    void sesAndSecretsManagerRunWithoutThem() throws Throwable {
        for (String name : new String[] {"SES", "SECRETS_MANAGER"}) {
            try (URLClassLoader loader = moduleOnly(); AutoCloseable aws = (AutoCloseable) start(loader, name)) {
                Class<?> service = loader.loadClass(LocalService.class.getName());
                @SuppressWarnings({"unchecked", "rawtypes"})
                Object constant = Enum.valueOf((Class) service, name);
                URI endpoint = (URI) aws.getClass().getMethod("endpoint", service).invoke(aws, constant);
                assertThat(Processes.answers(endpoint.getPort())).as(name).isTrue();
            }
        }
    }

    @Test
    void s3AndSqsSayWhichDependencyIsMissing() throws Exception {
        try (URLClassLoader loader = moduleOnly()) {
            assertThatThrownBy(() -> start(loader, "S3"))
                    .hasMessage("S3Mock is not on the classpath: add the dependency com.adobe.testing:s3mock"
                            + " (test scope) to use LocalService.S3")
                    .satisfies(e -> assertThat(e.getClass().getName()).isEqualTo(LocalAwsException.class.getName()));
            assertThatThrownBy(() -> start(loader, "SQS"))
                    .hasMessage("ElasticMQ is not on the classpath: add the dependency"
                            + " org.elasticmq:elasticmq-rest-sqs_2.13 (test scope) to use LocalService.SQS");
        }
    }

    @Test
    void redshiftDataSaysTheJdbcDriverIsMissing_beforeStartingPostgres() throws Exception {
        try (URLClassLoader loader = moduleOnly()) {
            assertThatThrownBy(() -> start(loader, "REDSHIFT_DATA"))
                    .hasMessage("the PostgreSQL JDBC driver is not on the classpath: add the dependency"
                            + " org.postgresql:postgresql (test scope) to use LocalService.REDSHIFT_DATA")
                    .satisfies(e -> assertThat(e.getClass().getName()).isEqualTo(LocalAwsException.class.getName()));
        }
    }
}
