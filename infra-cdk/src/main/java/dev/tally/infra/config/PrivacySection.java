package dev.tally.infra.config;

import dev.tally.aws.redshift.WarehouseEnvironment;
import dev.tally.functions.privacy.worker.WorkerConfig;
import dev.tally.privacy.PrivacyConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code privacy}: the privacy API and its workers (docs/privacy.md, docs/privacy-worker.md).
 *
 * @param codeFromAddress     who confirmation codes come from; an SES identity of the account (the address or its
 *                            domain)
 * @param sesIdentity         {@code sesIdentity}: the SES identity the codes are sent through, the domain of
 *                            {@code codeFromAddress} unless given (an address or a domain)
 * @param createSesIdentity   whether the stack creates that identity (false: it exists, verified, in the account)
 * @param sesConfigurationSet a configuration set the codes are sent with (delivery events); none when absent
 * @param jwtIssuer           {@code jwt.issuer}: the identity provider whose tokens the end users' API accepts
 *                            (an {@code https://} URL, e.g. a Cognito user pool's)
 * @param jwtAudiences        {@code jwt.audiences}: the audiences (app client ids) a token must name
 * @param adminPrincipals     IAM principals (role or user ARNs) that may call the IAM-authorized API as admins
 * @param adminScope          the JWT scope that makes a caller an admin ({@code privacy:admin})
 * @param recordRetentionDays how long request records are kept (at least 730: CCPA asks for 24 months)
 * @param document            {@code configDocument}: the privacy config document of privacy.md (targets, due days,
 *                            retry, batching), relative to the config file; checked here as the functions check
 *                            it; absent: no targets and the default due days
 * @param documentText        the document's text as read (the functions get it whole)
 * @param rateLimit           {@code throttle.rateLimit}: requests per second the API accepts, all callers together
 * @param burstLimit          {@code throttle.burstLimit}
 * @param sweepEveryMinutes   how often the sweep looks for overdue and stuck requests (publishes OverdueRequests)
 * @param distributedArchivePass {@code distributedArchivePass}: archive targets are carried out by a Step Functions
 *                            Distributed Map over their objects, a slice function per batch of keys (for archives
 *                            beyond one function's reach); false: the work function reads the archive itself
 */
public record PrivacySection(String codeFromAddress, String sesIdentity, boolean createSesIdentity,
                             Optional<String> sesConfigurationSet, String jwtIssuer, List<String> jwtAudiences,
                             List<String> adminPrincipals, String adminScope, int recordRetentionDays,
                             Optional<PrivacyConfig> document, Optional<String> documentText, int rateLimit,
                             int burstLimit, int sweepEveryMinutes, boolean distributedArchivePass) {
    static final Set<String> KEYS = Set.of("codeFromAddress", "sesIdentity", "createSesIdentity",
            "sesConfigurationSet", "jwt", "adminPrincipals", "adminScope", "recordRetentionDays", "configDocument",
            "throttle", "sweepEveryMinutes", "distributedArchivePass");
    public static final int MIN_RECORD_RETENTION_DAYS = 730;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@([^@\\s]+\\.[^@\\s]+)");
    private static final Pattern IDENTITY = Pattern.compile("([^@\\s]+@)?[a-z0-9-]+(\\.[a-z0-9-]+)+");
    private static final Pattern HTTPS_URL = Pattern.compile("https://[^\\s]+");
    private static final Pattern AUDIENCE = Pattern.compile("[\\x21-\\x7e]{1,256}");
    private static final Pattern PRINCIPAL = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:(role|user)/.+");
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5b\\x5d-\\x7e]+");
    private static final Pattern CONFIGURATION_SET = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /**
     * @param warehouse whether the deployment has a warehouse ({@code billing.warehouse}): a WAREHOUSE target
     *                  needs one
     */
    static PrivacySection read(ConfigReader in, Path baseDir, boolean warehouse) {
        in.only(KEYS);
        String from = in.matching("codeFromAddress", EMAIL, "an email address");
        var fromDomain = EMAIL.matcher(from);
        String identity = in.optionalString("sesIdentity").orElse(fromDomain.matches() ? fromDomain.group(1) : "");
        if (!identity.isEmpty() && !IDENTITY.matcher(identity).matches()) {
            in.problem("sesIdentity", "must be an email address or a domain, was '" + identity + "'");
        } else if (!identity.isEmpty() && !from.isEmpty() && !from.equals(identity) && !from.endsWith("@" + identity)) {
            in.problem("sesIdentity", "must be codeFromAddress or its domain, was '" + identity + "'");
        }
        Optional<String> configurationSet = in.optionalString("sesConfigurationSet");
        configurationSet.filter(set -> !CONFIGURATION_SET.matcher(set).matches()).ifPresent(set ->
                in.problem("sesConfigurationSet", "must be an SES configuration set name, was '" + set + "'"));
        ConfigReader jwt = in.section("jwt");
        jwt.only(Set.of("issuer", "audiences"));
        String issuer = jwt.matching("issuer", HTTPS_URL, "an https:// URL");
        List<String> audiences = jwt.strings("audiences", AUDIENCE, "an audience (app client id)", List.of());
        if (audiences.isEmpty() && !jwt.has("audiences")) {
            jwt.problem("audiences", "is required (the app client ids whose tokens are accepted)");
        }
        List<String> admins = in.strings("adminPrincipals", PRINCIPAL, "an IAM role or user ARN", List.of());
        String scope = in.has("adminScope") ? in.matching("adminScope", SCOPE, "an OAuth scope") : "privacy:admin";
        int retention = in.positiveInt("recordRetentionDays", 760);
        if (retention < MIN_RECORD_RETENTION_DAYS) {
            in.problem("recordRetentionDays", "must be at least " + MIN_RECORD_RETENTION_DAYS + " (24 months), was "
                    + retention);
        }
        Optional<String> documentText = Optional.empty();
        Optional<PrivacyConfig> document = Optional.empty();
        Optional<String> documentFile = in.optionalString("configDocument");
        if (documentFile.isPresent()) {
            Path file = baseDir.resolve(documentFile.get()).normalize();
            try {
                documentText = Optional.of(Files.readString(file));
                PrivacyConfig parsed = PrivacyConfig.parse(documentText.get());
                // As the workers check it at cold start, so that a mistake fails synthesis instead.
                WorkerConfig.checkTargets(parsed, warehouse ? WarehouseEnvironment.Kind.REDSHIFT
                        : WarehouseEnvironment.Kind.NONE, file.getFileName().toString());
                if (!parsed.secrets().isEmpty()) {
                    in.problem("configDocument", file.getFileName() + ": secrets is for local mode only; in AWS a "
                            + "webhook's secret_id names a Secrets Manager secret");
                }
                document = Optional.of(parsed);
            } catch (IOException e) {
                in.problem("configDocument", "cannot read " + file);
            } catch (PrivacyConfig.InvalidConfigException e) {
                in.problem("configDocument", file.getFileName() + ": " + e.getMessage());
            } catch (IllegalStateException e) {
                in.problem("configDocument", e.getMessage()); // checkTargets names the file and the target's field
            }
        }
        ConfigReader throttle = in.section("throttle");
        throttle.only(Set.of("rateLimit", "burstLimit"));
        int rate = throttle.positiveInt("rateLimit", 20);
        int burst = throttle.positiveInt("burstLimit", 50);
        if (burst < rate) {
            throttle.problem("burstLimit", "must be at least rateLimit (" + rate + "), was " + burst);
        }
        int sweep = in.positiveInt("sweepEveryMinutes", 60);
        if (sweep > 24 * 60) {
            in.problem("sweepEveryMinutes", "must be at most 1440 (a day), was " + sweep);
        }
        return new PrivacySection(from, identity, in.bool("createSesIdentity", false), configurationSet, issuer,
                audiences, admins, scope, retention, document, documentText, rate, burst, sweep,
                in.bool("distributedArchivePass", false));
    }
}
