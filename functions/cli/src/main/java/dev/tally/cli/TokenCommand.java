package dev.tally.cli;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.tally.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * {@code tally token}: prints an RS256 JWT that {@code tally serve} with the same state directory accepts, as an
 * identity provider would issue it ({@code iss} {@value LocalJwt#ISSUER}, {@code aud} {@value LocalJwt#AUDIENCE}).
 * Without {@code --scope privacy:admin} the bearer is an end user, who may name only their own {@code sub} or
 * {@code email}; the token carries a verified email (given, the subject itself when it is one, else
 * {@code <subject>@users.tally.local}) so that end users receive codes in the local outbox.
 */
@Command(name = "token",
        mixinStandardHelpOptions = true,
        description = {"Prints a JWT that 'tally serve' (with the same --state) accepts.",
            "Without --scope privacy:admin the bearer is an end user, who may name only themselves."})
final class TokenCommand implements Callable<Integer> {
    static final String LOCAL_EMAIL_DOMAIN = "users.tally.local";
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+");

    @Spec
    CommandSpec spec;

    @Option(names = "--subject", paramLabel = "ID", required = true, description = "The token's sub.")
    String subject;

    @Option(names = "--scope", paramLabel = "SCOPE",
            description = "Space-separated scopes, e.g. privacy:admin (default: none: an end user).")
    String scope;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "15m", converter = ShortDuration.class,
            description = "How long the token is valid: 30s, 15m, 2h (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Option(names = "--email", paramLabel = "ADDRESS",
            description = "The email claim (default: the subject if it is an address, else <subject>@"
                    + LOCAL_EMAIL_DOMAIN + ").")
    String email;

    @Option(names = "--state", paramLabel = "DIR", defaultValue = ".tally/serve",
            description = "The state directory of 'tally serve', whose key signs (default: ${DEFAULT-VALUE}; the key "
                    + "is made there if absent).")
    Path state;

    @Override
    public Integer call() throws IOException {
        if (subject.isBlank()) {
            throw new InputException("--subject must not be blank");
        }
        spec.commandLine().getOut().println(token(StateFiles.directory(state), subject, scope, email, ttl));
        return 0;
    }

    /** The token {@code tally token} prints, signed with the key of {@code stateDir}. */
    static String token(Path stateDir, String subject, String scope, String email, Duration ttl) throws IOException {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject)
                .claim("email", email != null ? email : defaultEmail(subject))
                .claim("email_verified", true);
        if (scope != null && !scope.isBlank()) {
            claims.claim("scope", scope.trim());
        }
        return LocalJwt.inStateDir(stateDir).sign(claims.build(), ttl);
    }

    static String defaultEmail(String subject) {
        return EMAIL.matcher(subject).matches() ? subject : subject + "@" + LOCAL_EMAIL_DOMAIN;
    }
}
