package dev.tally.local.junit;

import dev.tally.local.LocalService;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs against the local AWS stack. The services it names are started once per test JVM (on
 * first need, shared by every class) and stopped when the JVM's tests are done. Parameters and fields of type
 * {@link dev.tally.local.AwsEndpoints} (or {@link dev.tally.local.LocalAws}) are injected.
 *
 * <pre>{@code
 * @LocalAwsTest(services = {LocalService.DYNAMODB, LocalService.S3})
 * class LedgerStoreIT {
 *     @Test
 *     void writes(AwsEndpoints aws) {
 *         DynamoDbClient dynamo = ... .endpointOverride(aws.endpoint(LocalService.DYNAMODB)) ...;
 *     }
 * }
 * }</pre>
 *
 * <p>With {@code -Dtally.local.backend=localstack} (the Maven profile {@code localstack}) the same classes run
 * against LocalStack instead, and are skipped when Docker is not there.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LocalAwsExtension.class)
@Tag("local-aws")
public @interface LocalAwsTest {

    /** The services the class needs. */
    LocalService[] services();

    /**
     * The class pins behaviour of the local emulators themselves (a gap of dynalite, say), not of AWS: it is
     * skipped under any other backend.
     */
    boolean emulatorSpecific() default false;
}
