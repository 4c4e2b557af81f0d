package dev.tally.cli;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalJwtTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final LocalJwt JWT = new LocalJwt(LocalJwt.generate(), Clock.fixed(NOW, ZoneOffset.UTC));

    @TempDir
    Path state;

    private static JWTClaimsSet.Builder valid() {
        return new JWTClaimsSet.Builder().subject("u-1").issuer(LocalJwt.ISSUER).audience(LocalJwt.AUDIENCE)
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plus(Duration.ofMinutes(15))));
    }

    @Test
    void shouldAcceptItsOwnToken_withTheClaimsItWasGiven() throws Exception {
        String token = JWT.sign(new JWTClaimsSet.Builder().subject("u-1").claim("scope", "privacy:admin").build(),
                Duration.ofMinutes(15));

        JWTClaimsSet claims = JWT.verify(token);

        assertThat(claims.getSubject()).isEqualTo("u-1");
        assertThat(claims.getIssuer()).isEqualTo("tally-local");
        assertThat(claims.getAudience()).containsExactly("tally-privacy");
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        assertThat(claims.getStringClaim("scope")).isEqualTo("privacy:admin");
    }

    @Test
    void shouldRefuseAnExpiredToken_pastTheLeeway() {
        String token = JWT.signExactly(valid().expirationTime(Date.from(NOW.minus(LocalJwt.LEEWAY))).build());

        assertThatThrownBy(() -> JWT.verify(token)).isInstanceOf(LocalJwt.InvalidTokenException.class)
                .hasMessage("the token has expired");
    }

    @Test
    void shouldAcceptATokenJustExpired_withinTheLeeway() throws Exception {
        String token = JWT.signExactly(valid().expirationTime(Date.from(NOW.minusSeconds(5))).build());

        assertThat(JWT.verify(token).getSubject()).isEqualTo("u-1");
    }

    @Test
    void shouldRefuseATokenSignedWithAnotherKey() {
        LocalJwt other = new LocalJwt(LocalJwt.generate(), Clock.fixed(NOW, ZoneOffset.UTC));
        String forged = other.signExactly(valid().build());

        assertThatThrownBy(() -> JWT.verify(forged)).isInstanceOf(LocalJwt.InvalidTokenException.class)
                .hasMessage("the token's signature is not valid");
    }

    @Test
    void shouldRefuseATamperedPayload() {
        String token = JWT.signExactly(valid().build());
        String[] parts = token.split("\\.");
        String admin = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"sub\":\"u-1\",\"iss\":\"tally-local\",\"aud\":\"tally-privacy\",\"exp\":" + (NOW.getEpochSecond()
                        + 900) + ",\"scope\":\"privacy:admin\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThatThrownBy(() -> JWT.verify(parts[0] + "." + admin + "." + parts[2]))
                .isInstanceOf(LocalJwt.InvalidTokenException.class).hasMessage("the token's signature is not valid");
    }

    @Test
    void shouldRefuseAWrongAudience() {
        String token = JWT.signExactly(valid().audience("someone-else").build());

        assertThatThrownBy(() -> JWT.verify(token)).isInstanceOf(LocalJwt.InvalidTokenException.class)
                .hasMessage("the token's audience is not tally-privacy");
    }

    @Test
    void shouldRefuseAWrongIssuer_aTokenNotYetValid_andOneWithoutSubjectOrExpiry() {
        String issuer = JWT.signExactly(valid().issuer("elsewhere").build());
        String early = JWT.signExactly(valid().notBeforeTime(Date.from(NOW.plus(Duration.ofMinutes(5)))).build());
        String anonymous = JWT.signExactly(valid().subject(null).build());
        String endless = JWT.signExactly(valid().expirationTime(null).build());

        assertThatThrownBy(() -> JWT.verify(issuer)).hasMessage("the token's issuer is not tally-local");
        assertThatThrownBy(() -> JWT.verify(early)).hasMessage("the token is not valid yet (nbf)");
        assertThatThrownBy(() -> JWT.verify(anonymous)).hasMessage("the token names no subject (sub)");
        assertThatThrownBy(() -> JWT.verify(endless)).hasMessage("the token has no expiry (exp)");
    }

    @Test
    void shouldRefuseWhatIsNoSignedJwt_andAnUnsignedOne() {
        String unsigned = new com.nimbusds.jwt.PlainJWT(valid().build()).serialize();

        assertThatThrownBy(() -> JWT.verify("not-a-jwt")).hasMessage("the bearer token is not a signed JWT");
        assertThatThrownBy(() -> JWT.verify(unsigned)).hasMessage("the bearer token is not a signed JWT");
    }

    @Test
    void shouldKeepOneKeyPairInTheStateDirectory_readableByItsOwnerOnly() throws Exception {
        LocalJwt first = LocalJwt.inStateDir(state);
        String token = first.sign(new JWTClaimsSet.Builder().subject("u-1").build(), Duration.ofMinutes(1));

        LocalJwt second = LocalJwt.inStateDir(state);

        assertThat(second.verify(token).getSubject()).isEqualTo("u-1");
        Path file = state.resolve(LocalJwt.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains("\"kty\":\"RSA\"", "\"d\":");
        try (var listing = Files.list(state)) {
            assertThat(listing).containsExactly(file); // no temporary file left behind
        }
    }
}
