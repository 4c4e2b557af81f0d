package dev.tally.aws.secrets;

import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.local.LocalAws;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsTest;
import dev.tally.privacy.SecretSource.SecretUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The secret source with the real {@link SecretsManagerClient}, configured from the stack's
 * {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} as a function would be, against the local Secrets Manager endpoint.
 */
@LocalAwsTest(services = LocalService.SECRETS_MANAGER, emulatorSpecific = true)
class SecretsManagerSecretSourceIT {
    private static LocalAws stack;
    private static SdkHttpClient http;
    private static SecretsManagerClient client;

    @BeforeAll
    static void connect() {
        http = AwsClients.httpClient();
        client = AwsClients.secretsManager(AwsConfig.fromEnvironment(stack.environment()), http);
    }

    @AfterAll
    static void disconnect() {
        client.close();
        http.close();
    }

    private static String newSecret(String value) {
        String name = "tally/it/" + UUID.randomUUID();
        stack.secrets().put(name, value);
        return name;
    }

    @Test
    void shouldResolveASecret_byNameAndByArn() {
        String name = newSecret("hash-key-1");
        SecretsManagerSecretSource source = new SecretsManagerSecretSource(client);

        assertThat(source.secret(name)).isEqualTo("hash-key-1");
        assertThat(source.secret(stack.secrets().arn(name))).isEqualTo("hash-key-1");
    }

    @Test
    void shouldFailNamingTheId_whenTheSecretDoesNotExist() {
        SecretsManagerSecretSource source = new SecretsManagerSecretSource(client);

        assertThatThrownBy(() -> source.secret("tally/it/missing"))
                .isInstanceOf(SecretUnavailableException.class)
                .hasMessageContaining("tally/it/missing")
                .hasMessageContaining("ResourceNotFoundException");
    }

    @Test
    void shouldServeTheCachedValue_withinTheTimeToLive_andTheNewOne_afterIt() {
        String name = newSecret("v1");
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        SecretsManagerSecretSource source = new SecretsManagerSecretSource(client, Duration.ofMinutes(5), clock);
        assertThat(source.secret(name)).isEqualTo("v1");

        stack.secrets().put(name, "v2");
        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        assertThat(source.secret(name)).isEqualTo("v1");

        clock.advance(Duration.ofMillis(1));
        assertThat(source.secret(name)).isEqualTo("v2");
    }

    @Test
    void shouldReadEveryTime_withATimeToLiveOfZero_andAfterInvalidateAll() {
        String name = newSecret("v1");
        SecretsManagerSecretSource uncached = new SecretsManagerSecretSource(client, Duration.ZERO);
        SecretsManagerSecretSource cached = new SecretsManagerSecretSource(client);
        assertThat(uncached.secret(name)).isEqualTo("v1");
        assertThat(cached.secret(name)).isEqualTo("v1");

        stack.secrets().put(name, "v2");

        assertThat(uncached.secret(name)).isEqualTo("v2");
        assertThat(cached.secret(name)).isEqualTo("v1");
        cached.invalidateAll();
        assertThat(cached.secret(name)).isEqualTo("v2");
    }

    @Test
    void shouldNotCacheAFailure() {
        String name = "tally/it/later-" + UUID.randomUUID();
        SecretsManagerSecretSource source = new SecretsManagerSecretSource(client);
        assertThatThrownBy(() -> source.secret(name)).isInstanceOf(SecretUnavailableException.class);

        stack.secrets().put(name, "now-there");

        assertThat(source.secret(name)).isEqualTo("now-there");
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
