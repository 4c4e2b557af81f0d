package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.local.junit.LocalAwsTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The JUnit extension: what it injects (fields, static fields, parameters), that a class sees only the services it
 * names, and that classes share one stack.
 */
@LocalAwsTest(services = LocalService.DYNAMODB)
class LocalAwsExtensionIT {
    private static AwsEndpoints staticField;
    private static AwsEndpoints seenInBeforeAll;
    private AwsEndpoints field;

    @BeforeAll
    static void beforeAll(AwsEndpoints aws) {
        seenInBeforeAll = aws;
    }

    @Test
    void injectsFieldsAndParametersWithTheClassesServices(AwsEndpoints parameter) {
        assertThat(staticField).isNotNull();
        assertThat(field).isNotNull();
        assertThat(parameter.services()).containsExactly(LocalService.DYNAMODB);
        assertThat(field.endpoint(LocalService.DYNAMODB)).isEqualTo(parameter.endpoint(LocalService.DYNAMODB))
                .isEqualTo(staticField.endpoint(LocalService.DYNAMODB))
                .isEqualTo(seenInBeforeAll.endpoint(LocalService.DYNAMODB));
        assertThat(Processes.answers(parameter.endpoint(LocalService.DYNAMODB).getPort())).isTrue();
        assertThat(parameter.region()).isEqualTo("us-east-1");
        assertThat(parameter.accessKeyId()).isNotBlank();
        assertThat(parameter.secretAccessKey()).isNotBlank();
    }

    @Test
    void aServiceTheClassDidNotNameIsRefusedEvenIfRunning(AwsEndpoints aws) {
        assertThatThrownBy(() -> aws.endpoint(LocalService.POSTGRES)).isInstanceOf(LocalAwsException.class)
                .hasMessage("POSTGRES is not among the services of LocalAwsExtensionIT: add it to"
                        + " @LocalAwsTest(services = ...)");
        assertThatThrownBy(aws::jdbcUrl).isInstanceOf(LocalAwsException.class);
    }

    /** Nested classes add their services to the outer class's, on the same shared stack. */
    @Nested
    @LocalAwsTest(services = LocalService.POSTGRES, emulatorSpecific = true)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class SharedStack {
        private LocalAws localAws;

        @Test
        void seesItsOwnAndTheOuterServicesOnOneStack(AwsEndpoints aws, LocalAws shared) {
            assertThat(aws.services()).containsExactlyInAnyOrder(LocalService.DYNAMODB, LocalService.POSTGRES);
            assertThat(shared).isSameAs(localAws);
            assertThat(shared.isRunning(LocalService.DYNAMODB)).isTrue();
            assertThat(shared.isRunning(LocalService.POSTGRES)).isTrue();
            // The same emulator the outer class got: started once, shared.
            assertThat(aws.endpoint(LocalService.DYNAMODB)).isEqualTo(field.endpoint(LocalService.DYNAMODB))
                    .isEqualTo(shared.endpoint(LocalService.DYNAMODB));
            assertThat(aws.jdbcUrl()).isEqualTo(shared.jdbcUrl());
        }
    }
}
