package dev.tally.functions.privacy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.tally.privacy.Caller;
import dev.tally.privacy.PrivacyError;
import dev.tally.privacy.PrivacyException;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, from what API Gateway put in {@code requestContext.authorizer} after it authenticated the call:
 * an IAM principal (SigV4) or the claims of a JWT it validated. Nothing else counts — no header is trusted for
 * identity. An IAM principal is an admin when it is on the allow-list (a role on the list admits its sessions)
 * and is refused otherwise; a JWT is an admin with the admin scope and an end user without it.
 */
final class Callers {
    private final List<String> adminPrincipals;
    private final String adminScope;

    /**
     * @param adminPrincipals IAM ARNs, exact, a role's ARN (admits {@code assumed-role} sessions of it) or ending
     *                        in {@code *} (a prefix)
     */
    Callers(List<String> adminPrincipals, String adminScope) {
        this.adminPrincipals = List.copyOf(adminPrincipals);
        this.adminScope = adminScope;
    }

    Caller of(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = context == null ? null : context.getAuthorizer();
        if (authorizer != null && authorizer.getIam() != null && present(authorizer.getIam().getUserArn())) {
            String arn = authorizer.getIam().getUserArn();
            if (!allowed(arn)) {
                throw new PrivacyException(PrivacyError.FORBIDDEN, null, "this IAM principal may not use the privacy API");
            }
            return new Caller(Caller.Role.ADMIN, Caller.Authentication.IAM, arn, Optional.empty());
        }
        if (authorizer != null && authorizer.getJwt() != null && authorizer.getJwt().getClaims() != null) {
            Map<String, String> claims = authorizer.getJwt().getClaims();
            String subject = claims.get("sub");
            if (!present(subject)) {
                throw new PrivacyException(PrivacyError.UNAUTHENTICATED, null, "the token names no subject");
            }
            Set<String> scopes = scopes(authorizer.getJwt().getScopes(), claims);
            Optional<String> email = Optional.ofNullable(claims.get("email")).filter(Callers::present)
                    .filter(e -> !"false".equalsIgnoreCase(String.valueOf(claims.get("email_verified"))));
            return new Caller(scopes.contains(adminScope) ? Caller.Role.ADMIN : Caller.Role.END_USER,
                    Caller.Authentication.JWT, subject, email);
        }
        throw new PrivacyException(PrivacyError.UNAUTHENTICATED, null, "authentication required");
    }

    private boolean allowed(String arn) {
        String role = roleOf(arn);
        for (String entry : adminPrincipals) {
            if (entry.endsWith("*") ? arn.startsWith(entry.substring(0, entry.length() - 1))
                    : entry.equals(arn) || entry.equals(role)) {
                return true;
            }
        }
        return false;
    }

    /** {@code arn:aws:sts::1:assumed-role/Name/session} is a session of {@code arn:aws:iam::1:role/Name}. */
    static String roleOf(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length == 6 && "sts".equals(parts[2]) && parts[5].startsWith("assumed-role/")) {
            String[] path = parts[5].split("/");
            if (path.length >= 3) {
                return parts[0] + ":" + parts[1] + ":iam::" + parts[4] + ":role/" + path[1];
            }
        }
        return arn;
    }

    /**
     * The token's scopes: those the gateway lists, and the {@code scope} (space-separated) or {@code scp} claim,
     * which the gateway passes as a string ({@code "[a b]"} for a list).
     */
    private static Set<String> scopes(List<String> listed, Map<String, String> claims) {
        Set<String> scopes = new HashSet<>(listed == null ? List.of() : listed);
        for (String claim : new String[] {claims.get("scope"), claims.get("scp")}) {
            if (claim != null) {
                String bare = claim.startsWith("[") && claim.endsWith("]") ? claim.substring(1, claim.length() - 1)
                        : claim;
                scopes.addAll(Arrays.stream(bare.split("[\\s,]+")).filter(s -> !s.isEmpty()).toList());
            }
        }
        return scopes;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
