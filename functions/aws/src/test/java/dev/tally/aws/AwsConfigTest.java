package dev.tally.aws;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsConfigTest {
    @Test
    void shouldFindAServiceEndpoint_whateverItsNameIsSpelledWith() {
        AwsConfig config = AwsConfig.fromEnvironment(Map.of("AWS_REGION", "eu-west-1",
                "AWS_ENDPOINT_URL_REDSHIFT_DATA", "http://127.0.0.1:4510", "AWS_ENDPOINT_URL", "http://127.0.0.1:4566"));

        assertThat(config.endpoint("redshift-data")).contains(URI.create("http://127.0.0.1:4510"));
        assertThat(config.endpoint("REDSHIFT_DATA")).contains(URI.create("http://127.0.0.1:4510"));
        assertThat(config.endpoint("s3")).contains(URI.create("http://127.0.0.1:4566"));
        assertThat(AwsConfig.local(Map.of("redshift_data", URI.create("http://h:1"))).endpoint("redshift-data"))
                .contains(URI.create("http://h:1"));
    }

    @Test
    void shouldNameTheVariable_whenTheConfigurationIsWrong() {
        assertThatThrownBy(() -> AwsConfig.fromEnvironment(Map.of())).hasMessage("AWS_REGION is not set");
        assertThatThrownBy(() -> AwsConfig.fromEnvironment(Map.of("AWS_REGION", "x", "AWS_ENDPOINT_URL_S3", "nope")))
                .hasMessageContaining("AWS_ENDPOINT_URL_S3");
    }
}
