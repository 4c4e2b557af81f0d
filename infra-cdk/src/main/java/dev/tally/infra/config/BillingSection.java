package dev.tally.infra.config;

import dev.tally.billing.CostBasis;
import dev.tally.billing.EcsSplit;
import dev.tally.delivery.RollupOutputs;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code billing}: where bills arrive and where rollups go.
 *
 * @param billBucketName      {@code billBucket.name}: the existing bucket AWS delivers bills to; empty with
 *                            {@code billBucket.create: true}, which makes the stack create one
 * @param prefix              {@code notifications.prefix}: only keys under it start a rollup (may be empty)
 * @param suffixes            {@code notifications.suffixes}: the key endings that are deliveries (manifests and DBR
 *                            zips); one S3 notification per suffix, so no two may overlap
 * @param outputPrefix        a key prefix in the output bucket (may be empty)
 * @param reservedConcurrency the billing function's reserved concurrency (1: one rollup at a time)
 * @param glueDatabase        the Glue database of the rollup tables ({@code tally}); unique in the account and region
 * @param warehouse           {@code warehouse}: where runs are loaded besides S3
 * @param distributedRollup   {@code distributedRollup}: manifests of many parts are rolled up by a Step Functions
 *                            Distributed Map over their parts, one part function per part and a merge function (for
 *                            bills beyond one function's 15 minutes); absent: the billing function reads every bill
 * @param costBases           {@code costBases} ({@code ["unblended"]}): the cost bases (allocation contract §8) every
 *                            delivery is rolled up on, each once, in {@link CostBasis} order (the billing function's
 *                            {@code COST_BASES}, and the Glue tables' {@code cost_basis} projection)
 * @param upfrontLedgerKey    {@code upfrontLedgerKey}: the output bucket's key of the upfront ledger spreading DBR
 *                            sign-up charges on the amortized basis ({@code UPFRONT_LEDGER_KEY}); under
 *                            {@code outputPrefix}, where the function may read; only with {@code amortized}
 * @param alerts              {@code alerts}: the spend alerts evaluated after each run (docs/spend-alerts.md)
 * @param businessMetricsKey  {@code businessMetricsKey}: the output bucket's key of a business-metrics CSV for the
 *                            spend report's unit costs ({@code BUSINESS_METRICS_KEY}); under {@code outputPrefix}
 * @param ecsSplit            {@code ecsSplit} ({@code "events"}): how an ECS host instance's cost is split among its
 *                            services (allocation contract §9) — {@code events}, by the history's CPU-seconds, or
 *                            {@code aws}, by AWS's split cost allocation data where the bill has it (the billing, part
 *                            and merge functions' {@code ECS_SPLIT})
 */
public record BillingSection(Optional<String> billBucketName, String prefix, List<String> suffixes,
                             String outputPrefix, int reservedConcurrency, String glueDatabase,
                             WarehouseSection warehouse, Optional<DistributedRollup> distributedRollup,
                             List<CostBasis> costBases, Optional<String> upfrontLedgerKey, Optional<Alerts> alerts,
                             Optional<String> businessMetricsKey, EcsSplit ecsSplit) {
    /**
     * {@code billing.alerts}: an SNS topic the alerts go to, with its subscriptions.
     *
     * @param rules             {@code rules}: the alert rules (docs/spend-alerts.md), checked here as the function
     *                          checks them, and handed to it as {@code ALERT_RULES}
     * @param emails            {@code emails}: addresses subscribed to the topic (each confirms by email)
     * @param webhookSecretName {@code webhookSecretName}: an existing Secrets Manager secret holding a Slack-compatible
     *                          webhook URL the alerts are also posted to
     */
    public record Alerts(String rules, List<String> emails, Optional<String> webhookSecretName) {
    }

    /**
     * {@code billing.distributedRollup}.
     *
     * @param minParts       {@code minParts} (2, at least 2): the fewest parts a manifest lists to be distributed
     *                       (the billing function's {@code DISTRIBUTED_MIN_PARTS})
     * @param maxConcurrency {@code maxConcurrency} (10, at most {@value #MAX_CONCURRENCY}): parts read at once
     */
    public record DistributedRollup(int minParts, int maxConcurrency) {
        public static final int MAX_CONCURRENCY = 1000;
    }

    /** Legacy CUR and Data Exports manifests ({@code <name>-Manifest.json}) and DBR zips. */
    public static final List<String> DEFAULT_SUFFIXES = List.of("-Manifest.json", ".csv.zip");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern GLUE_NAME = Pattern.compile("[a-z0-9_]{1,255}");
    private static final Pattern KEY_PART = Pattern.compile("[^\\s*?]{1,200}");

    public boolean createBillBucket() {
        return billBucketName.isEmpty();
    }

    static BillingSection read(ConfigReader in, TallyConfig.DeployEnvironment environment) {
        in.only(Set.of("billBucket", "notifications", "outputPrefix", "reservedConcurrency", "glueDatabase",
                "warehouse", "distributedRollup", "costBases", "upfrontLedgerKey", "alerts",
                "businessMetricsKey", "ecsSplit"));
        ConfigReader bucket = in.section("billBucket");
        bucket.only(Set.of("name", "create"));
        Optional<String> name = bucket.optionalString("name");
        boolean create = bucket.bool("create", false);
        if (name.isPresent() == create) {
            in.problem("billBucket", "give either name (an existing bucket) or create: true");
        }
        name.filter(n -> !BUCKET.matcher(n).matches())
                .ifPresent(n -> bucket.problem("name", "must be an S3 bucket name, was '" + n + "'"));

        ConfigReader notifications = in.section("notifications");
        notifications.only(Set.of("prefix", "suffixes"));
        String prefix = notifications.text("prefix", "");
        List<String> suffixes = notifications.strings("suffixes", KEY_PART, "a key suffix", DEFAULT_SUFFIXES);
        if (notifications.has("suffixes") && suffixes.isEmpty()) {
            notifications.problem("suffixes", "must name at least one suffix");
        }
        for (int i = 0; i < suffixes.size(); i++) {
            for (int j = 0; j < suffixes.size(); j++) {
                if (i != j && suffixes.get(i).endsWith(suffixes.get(j))) {
                    notifications.problem("suffixes", "'" + suffixes.get(i) + "' overlaps '" + suffixes.get(j)
                            + "' (S3 refuses overlapping notifications)");
                }
            }
        }
        String outputPrefix = in.text("outputPrefix", "");
        int concurrency = in.positiveInt("reservedConcurrency", 1);
        String glueDatabase = in.has("glueDatabase")
                ? in.matching("glueDatabase", GLUE_NAME, "a Glue database name (a-z, 0-9, _)") : "tally";
        WarehouseSection warehouse = WarehouseSection.read(in.section("warehouse"), environment);
        Optional<DistributedRollup> distributed = in.has("distributedRollup")
                ? Optional.of(distributedRollup(in.section("distributedRollup"))) : Optional.empty();
        List<CostBasis> bases = costBases(in);
        Optional<String> upfront = in.optionalString("upfrontLedgerKey");
        upfront.ifPresent(key -> {
            if (!bases.contains(CostBasis.AMORTIZED)) {
                in.problem("upfrontLedgerKey", "spreads DBR upfront fees on the amortized basis: add \"amortized\" to "
                        + "costBases, or leave the key out");
            }
            String under = RollupOutputs.keyPrefix(outputPrefix);
            if (!KEY_PART.matcher(key).matches() || !key.startsWith(under) || key.endsWith("/")) {
                in.problem("upfrontLedgerKey", "must be an object key under outputPrefix '" + under + "' (the "
                        + "function reads there), was '" + key + "'");
            }
        });
        Optional<Alerts> alerts = in.has("alerts") ? Optional.of(alerts(in.section("alerts"))) : Optional.empty();
        Optional<String> metrics = in.optionalString("businessMetricsKey");
        metrics.ifPresent(key -> {
            String under = RollupOutputs.keyPrefix(outputPrefix);
            if (!KEY_PART.matcher(key).matches() || !key.startsWith(under) || key.endsWith("/")) {
                in.problem("businessMetricsKey", "must be an object key under outputPrefix '" + under + "' (the "
                        + "function reads there), was '" + key + "'");
            }
        });
        EcsSplit split = ecsSplit(in);
        return new BillingSection(name, prefix, suffixes, outputPrefix, concurrency, glueDatabase, warehouse,
                distributed, bases, upfront, alerts, metrics, split);
    }

    /** {@code ecsSplit}: {@code "events"} or {@code "aws"}; missing reads as events. */
    private static EcsSplit ecsSplit(ConfigReader in) {
        if (!in.has("ecsSplit")) {
            return EcsSplit.EVENTS;
        }
        return in.optionalString("ecsSplit").map(value -> {
            try {
                return EcsSplit.parse(value);
            } catch (IllegalArgumentException e) {
                in.problem("ecsSplit", "must be \"events\" or \"aws\", was '" + value + "'");
                return EcsSplit.EVENTS;
            }
        }).orElse(EcsSplit.EVENTS);
    }

    /** {@code costBases}: each basis once; missing reads as unblended only. */
    private static List<CostBasis> costBases(ConfigReader in) {
        List<String> names = in.strings("costBases", KEY_PART, "unblended or amortized", List.of("unblended"));
        if (in.has("costBases") && names.isEmpty()) {
            in.problem("costBases", "must name at least one cost basis (unblended, amortized)");
        }
        Set<CostBasis> bases = EnumSet.noneOf(CostBasis.class);
        for (String name : names) {
            try {
                if (!bases.add(CostBasis.parse(name))) {
                    in.problem("costBases", "names " + name + " twice");
                }
            } catch (IllegalArgumentException e) {
                in.problem("costBases", e.getMessage());
            }
        }
        return List.copyOf(bases);
    }

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern SECRET_NAME = Pattern.compile("[A-Za-z0-9/_+=.@-]{1,512}");

    /** The rules travel in the function's environment, which Lambda limits to 4 KB in all. */
    static final int MAX_RULES = 2048;

    private static Alerts alerts(ConfigReader in) {
        in.only(Set.of("rules", "emails", "webhookSecretName"));
        String rules = "";
        if (in.json("rules").isEmpty()) {
            in.problem("rules", "is required (the alert rules, docs/spend-alerts.md)");
        } else {
            rules = in.json("rules").get().toString();
            if (rules.length() > MAX_RULES) {
                in.problem("rules", "is " + rules.length() + " characters as JSON; the function's environment (4 KB "
                        + "in all, Lambda's limit) holds at most " + MAX_RULES);
            }
            try {
                dev.tally.spend.AlertRules.read(in.key("rules"), new java.io.ByteArrayInputStream(
                        rules.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                in.problem("rules", e.getMessage().substring(e.getMessage().indexOf(':') + 1).trim());
            } catch (java.io.IOException e) {
                in.problem("rules", "cannot be read: " + e.getMessage());
            }
        }
        List<String> emails = in.strings("emails", EMAIL, "an email address", List.of());
        Optional<String> secret = in.optionalString("webhookSecretName");
        secret.filter(n -> !SECRET_NAME.matcher(n).matches())
                .ifPresent(n -> in.problem("webhookSecretName", "must be a Secrets Manager secret name"));
        return new Alerts(rules, emails, secret);
    }

    private static DistributedRollup distributedRollup(ConfigReader in) {
        in.only(Set.of("minParts", "maxConcurrency"));
        int minParts = in.positiveInt("minParts", 2);
        if (minParts < 2) {
            in.problem("minParts", "must be at least 2 (a bill of one part gains nothing from a distributed rollup)");
        }
        int concurrency = in.positiveInt("maxConcurrency", 10);
        if (concurrency > DistributedRollup.MAX_CONCURRENCY) {
            in.problem("maxConcurrency", "must be at most " + DistributedRollup.MAX_CONCURRENCY + ", was " + concurrency);
        }
        return new DistributedRollup(minParts, concurrency);
    }
}
