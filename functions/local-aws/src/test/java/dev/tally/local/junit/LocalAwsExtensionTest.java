package dev.tally.local.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tally.local.LocalService;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class LocalAwsExtensionTest {

    @LocalAwsTest(services = {LocalService.S3, LocalService.SQS})
    static class Outer {
        @LocalAwsTest(services = LocalService.POSTGRES)
        class Inner {
            class Deeper {
            }
        }
    }

    static class NotAnnotated {
    }

    @Test
    void servicesAreTheUnionOverEnclosingClasses() {
        assertThat(LocalAwsExtension.services(Outer.class)).containsExactly(LocalService.S3, LocalService.SQS);
        assertThat(LocalAwsExtension.services(Outer.Inner.Deeper.class))
                .containsExactly(LocalService.S3, LocalService.SQS, LocalService.POSTGRES);
    }

    @Test
    void aClassWithoutTheAnnotationIsAConfigurationError() {
        assertThatThrownBy(() -> LocalAwsExtension.services(NotAnnotated.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("without @LocalAwsTest(services = ...)");
    }

    @Nested
    class Backends {
        private void withBackend(String value, Runnable action) {
            String before = System.getProperty(LocalAwsExtension.BACKEND_PROPERTY);
            System.setProperty(LocalAwsExtension.BACKEND_PROPERTY, value);
            try {
                action.run();
            } finally {
                if (before == null) {
                    System.clearProperty(LocalAwsExtension.BACKEND_PROPERTY);
                } else {
                    System.setProperty(LocalAwsExtension.BACKEND_PROPERTY, before);
                }
            }
        }

        private boolean localstackOnClasspath() {
            try {
                Class.forName(LocalAwsExtension.LOCALSTACK_CLASS);
                return true;
            } catch (ClassNotFoundException e) {
                return false;
            }
        }

        @Test
        void localstackWithTheProfileIsTheLocalStackBackend() {
            Assumptions.assumeTrue(localstackOnClasspath(), "only with -Plocalstack");
            withBackend("localstack", () -> {
                try (LocalAwsBackend backend = LocalAwsExtension.createBackend()) {
                    assertThat(backend.getClass().getName()).isEqualTo(LocalAwsExtension.LOCALSTACK_CLASS);
                    assertThat(backend.name()).isEqualTo("localstack");
                }
            });
        }

        @Test
        void localstackWithoutTheProfileSaysWhichProfile() {
            Assumptions.assumeFalse(localstackOnClasspath(), "only without -Plocalstack");
            withBackend("localstack", () -> assertThatThrownBy(LocalAwsExtension::createBackend)
                    .isInstanceOf(ExtensionConfigurationException.class)
                    .hasMessage("-Dtally.local.backend=localstack: dev.tally.local.localstack.LocalStackBackend is not"
                            + " on the test classpath (run with the Maven profile: mvn -Plocalstack verify)"));
        }

        @Test
        void aClassThatIsNoBackendIsRefused() {
            withBackend("java.lang.Object", () -> assertThatThrownBy(LocalAwsExtension::createBackend)
                    .isInstanceOf(ExtensionConfigurationException.class)
                    .hasMessageStartingWith("-Dtally.local.backend=java.lang.Object: cannot create java.lang.Object"));
        }

        @Test
        void theDefaultIsTheLocalEmulators() {
            withBackend("local", () -> {
                try (LocalAwsBackend backend = LocalAwsExtension.createBackend()) {
                    assertThat(backend.name()).isEqualTo("local");
                    assertThat(backend.unavailableReason()).isEmpty();
                }
            });
        }
    }
}
