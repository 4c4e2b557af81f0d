package dev.tally.cli;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;

/**
 * The local gateway's JWTs: an RS256 key pair kept in the state directory ({@code jwt-key.json}, a JWK set with
 * the private key, mode 600), tokens signed with it ({@code tally token}) and checked as API Gateway's JWT
 * authorizer checks them ({@code tally serve}): signature, issuer {@value #ISSUER}, audience {@value #AUDIENCE},
 * {@code exp}, {@code nbf} and {@code iat} with {@link #LEEWAY} of clock skew. Refusals say which rule failed,
 * never a claim's value.
 */
final class LocalJwt {
    static final String ISSUER = "tally-local";
    static final String AUDIENCE = "tally-privacy";
    static final String KEY_FILE = "jwt-key.json";
    static final Duration LEEWAY = Duration.ofSeconds(30);

    private final RSAKey key;
    private final RSASSAVerifier verifier;
    private final Clock clock;

    /** A token the gateway refuses; the message says why (and is safe to send back). */
    static final class InvalidTokenException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }

    LocalJwt(RSAKey key, Clock clock) {
        this.key = Objects.requireNonNull(key, "key");
        this.clock = clock;
        try {
            this.verifier = new RSASSAVerifier(key.toPublicJWK());
        } catch (JOSEException e) {
            throw new IllegalStateException("the local JWT key cannot verify: " + e.getMessage(), e);
        }
    }

    /** The key pair of {@code stateDir}, made (once, whoever comes first) when it has none. */
    static LocalJwt inStateDir(Path stateDir) throws IOException {
        return new LocalJwt(loadOrCreateKey(stateDir.resolve(KEY_FILE)), Clock.systemUTC());
    }

    static RSAKey loadOrCreateKey(Path file) throws IOException {
        String text = StateFiles.readOrCreate(file, () -> new JWKSet(generate()).toString(false));
        try {
            JWKSet set = JWKSet.parse(text);
            if (set.getKeys().size() != 1 || !(set.getKeys().get(0) instanceof RSAKey rsa) || !rsa.isPrivate()) {
                throw new IOException(file + ": must be a JWK set of one private RSA key");
            }
            return rsa;
        } catch (ParseException e) {
            throw new IOException(file + ": not a JWK set (" + e.getMessage() + ")", e);
        }
    }

    static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key: " + e.getMessage(), e);
        }
    }

    /** Signs the claims as this key's RS256 JWT, with {@code iss}, {@code aud}, {@code iat} and {@code exp} set. */
    String sign(JWTClaimsSet claims, Duration ttl) {
        Instant now = clock.instant();
        JWTClaimsSet complete = new JWTClaimsSet.Builder(claims).issuer(ISSUER).audience(AUDIENCE)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString()).build();
        return signExactly(complete);
    }

    /** Signs the claims as they are (tests make tokens the gateway must refuse). */
    String signExactly(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                .keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a JWT: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    /** The claims of a token this gateway accepts. */
    JWTClaimsSet verify(String token) throws InvalidTokenException {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new InvalidTokenException("the bearer token is not a signed JWT");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new InvalidTokenException("the token must be signed with RS256");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new InvalidTokenException("the token's signature is not valid");
            }
        } catch (JOSEException e) {
            throw new InvalidTokenException("the token's signature cannot be verified");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException("the token's claims are not a JSON object");
        }
        checkClaims(claims);
        return claims;
    }

    private void checkClaims(JWTClaimsSet claims) throws InvalidTokenException {
        Instant now = clock.instant();
        if (!ISSUER.equals(claims.getIssuer())) {
            throw new InvalidTokenException("the token's issuer is not " + ISSUER);
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(AUDIENCE)) {
            throw new InvalidTokenException("the token's audience is not " + AUDIENCE);
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new InvalidTokenException("the token has no expiry (exp)");
        }
        if (!now.isBefore(exp.toInstant().plus(LEEWAY))) {
            throw new InvalidTokenException("the token has expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.isBefore(nbf.toInstant().minus(LEEWAY))) {
            throw new InvalidTokenException("the token is not valid yet (nbf)");
        }
        Date iat = claims.getIssueTime();
        if (iat != null && now.isBefore(iat.toInstant().minus(LEEWAY))) {
            throw new InvalidTokenException("the token was issued in the future (iat)");
        }
        if (claims.getSubject() == null || claims.getSubject().isBlank()) {
            throw new InvalidTokenException("the token names no subject (sub)");
        }
    }
}
