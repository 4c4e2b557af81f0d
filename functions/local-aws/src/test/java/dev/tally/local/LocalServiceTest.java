package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Each service's endpoint names agree with each other and with the AWS SDK v2's. */
class LocalServiceTest {

    @Test
    void shouldNameEachEndpointServiceAfterItsVariable_asAwsConfigMapsThem() {
        for (LocalService service : LocalService.values()) {
            assertThat(service.endpointServiceName().isPresent()).as(service.name())
                    .isEqualTo(service.endpointVariable().isPresent());
            service.endpointVariable().ifPresent(variable -> assertThat(service.endpointServiceName()).as(variable)
                    .hasValue(variable.substring("AWS_ENDPOINT_URL_".length()).toLowerCase(Locale.ROOT).replace('_', '-')));
        }
    }

    @Test
    void shouldUseTheSdksVariablesForSesAndSecretsManager() {
        assertThat(LocalService.SES.endpointVariable()).hasValue("AWS_ENDPOINT_URL_SESV2");
        assertThat(LocalService.SES.endpointServiceName()).hasValue("sesv2");
        assertThat(LocalService.SECRETS_MANAGER.endpointVariable()).hasValue("AWS_ENDPOINT_URL_SECRETS_MANAGER");
        assertThat(LocalService.SECRETS_MANAGER.endpointServiceName()).hasValue("secrets-manager");
    }
}
