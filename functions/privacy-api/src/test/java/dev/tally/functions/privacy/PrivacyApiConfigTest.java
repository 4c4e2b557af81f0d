package dev.tally.functions.privacy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrivacyApiConfigTest {
    private static Map<String, String> env(String... more) {
        Map<String, String> env = new HashMap<>(Map.of(PrivacyApiConfig.TABLE, "privacy",
                PrivacyApiConfig.QUEUE_URL, "http://127.0.0.1:9324/000000000000/processing",
                PrivacyApiConfig.KEY_SECRET_ID, "privacy-key", PrivacyApiConfig.CODE_FROM, "privacy@example.com"));
        for (int i = 0; i + 1 < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    @Test
    void shouldGiveCodes15Minutes_byDefault_orTheMinutesConfigured() {
        assertThat(PrivacyApiConfig.fromEnvironment(env()).codePolicy().ttl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(PrivacyApiConfig.fromEnvironment(env(PrivacyApiConfig.CODE_TTL_MINUTES, "5")).codePolicy().ttl())
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void shouldTakeCodeTtlSeconds_beforeTheMinutes() {
        PrivacyApiConfig config = PrivacyApiConfig.fromEnvironment(env(PrivacyApiConfig.CODE_TTL_MINUTES, "5",
                PrivacyApiConfig.CODE_TTL_SECONDS, "2"));

        assertThat(config.codePolicy().ttl()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void shouldRefuseCodeTtlSecondsThatIsNoPositiveNumber_namingTheVariable() {
        assertThatThrownBy(() -> PrivacyApiConfig.fromEnvironment(env(PrivacyApiConfig.CODE_TTL_SECONDS, "0")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CODE_TTL_SECONDS");
        assertThatThrownBy(() -> PrivacyApiConfig.fromEnvironment(env(PrivacyApiConfig.CODE_TTL_SECONDS, "2s")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CODE_TTL_SECONDS");
    }
}
