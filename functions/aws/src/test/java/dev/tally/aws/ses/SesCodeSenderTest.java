package dev.tally.aws.ses;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class SesCodeSenderTest {

    @Test
    void shouldSayTheCode_itsExpiryInUtc_andToIgnoreTheMailIfNotAsked() {
        String body = SesCodeSender.body("123456", Instant.parse("2024-05-01T22:30:59Z"));

        assertThat(body).startsWith("Your confirmation code is 123456.")
                .contains("It expires on 1 May 2024 at 22:30 UTC.")
                .contains("If you did not ask for this, ignore this email");
    }
}
