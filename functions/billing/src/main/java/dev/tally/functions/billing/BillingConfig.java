package dev.tally.functions.billing;

import dev.tally.aws.Environment;
import dev.tally.aws.redshift.WarehouseEnvironment;

import dev.tally.billing.CostBasis;
import dev.tally.billing.EcsSplit;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.tally.aws.Environment.positive;
import static dev.tally.aws.Environment.required;

/**
 * Configuration of the billing function, read once from the environment and validated at start; a wrong
 * value fails the cold start with a message naming the variable. The CDK stack sets the same names.
 *
 * @param outputBucket   {@code OUTPUT_BUCKET}: where runs and finalized tables go (required)
 * @param outputPrefix   {@code OUTPUT_PREFIX}: a key prefix there (none)
 * @param deliveries     {@code DELIVERIES_TABLE}: the DynamoDB table of bill deliveries (required)
 * @param historyTable   {@code HISTORY_TABLE}: the DynamoDB history table, which also holds the product-area map
 *                       (required)
 * @param retention      {@code HISTORY_RETENTION_DAYS}: the history's retention (400), as the history functions
 * @param tagKey         {@code TAG_KEY}: the cost-allocation tag naming a product area ({@code product_area})
 * @param lease          {@code DELIVERY_LEASE_MINUTES}: how long a claimed delivery is held before another
 *                       invocation may take it over; longer than the function's timeout (20)
 * @param ledgerRetention {@code DELIVERY_RETENTION_DAYS}: how long deliveries are remembered (400)
 * @param warehouse      {@code WAREHOUSE}: {@code none} (runs in S3 only), {@code redshift} (Data API) or
 *                       {@code jdbc} (PostgreSQL, for local runs); read by {@link WarehouseEnvironment}, as the
 *                       privacy workers read it
 * @param distributedRollup {@code DISTRIBUTED_ROLLUP_STATE_MACHINE_ARN}: when set, a manifest of at least
 *                       {@code distributedMinParts} parts is rolled up by that Step Functions state machine (a
 *                       Distributed Map over the parts, for bills beyond one function's 15 minutes) instead of in the
 *                       invocation; unset, every bill is rolled up where it is notified
 * @param distributedMinParts {@code DISTRIBUTED_MIN_PARTS} (2, at least 2): the fewest parts a manifest lists for a
 *                       distributed rollup
 * @param costBases      {@code COST_BASES} ({@code unblended}): the cost bases (allocation contract §8) every delivery is
 *                       rolled up on, comma-separated — {@code unblended}, {@code amortized} or
 *                       {@code unblended,amortized}; each is a run of its own, side by side in S3 and the warehouse
 *                       under its {@code cost_basis}; kept in {@link CostBasis} order
 * @param upfrontLedgerKey {@code UPFRONT_LEDGER_KEY}: the key, in {@code OUTPUT_BUCKET}, of the upfront ledger (the
 *                       JSON of {@code tally rollup --upfront}) spreading DBR sign-up charges on the amortized basis;
 *                       unset, DBR bills are not rolled up on the amortized basis (their records say so). Only with
 *                       {@code amortized} in {@code COST_BASES}
 * @param alerts         {@code ALERT_RULES}, {@code ALERT_TOPIC_ARN}, {@code ALERT_WEBHOOK_SECRET_ID}: the spend alerts
 *                       evaluated after each run on the first basis of {@code COST_BASES} ({@link AlertSettings});
 *                       none when unset
 * @param metricsKey     {@code BUSINESS_METRICS_KEY}: the key, in {@code OUTPUT_BUCKET}, of a business-metrics CSV
 *                       ({@code billing_period,product_area,metric,value}) for the spend report's unit costs; none
 * @param ecsSplit       {@code ECS_SPLIT} ({@code events}): how rule 1 splits an ECS host instance's cost among the
 *                       services on it (allocation contract §9) — {@code events}, by the history's CPU-seconds, or
 *                       {@code aws}, by AWS's split cost allocation data where the bill has it (CPU-seconds where not);
 *                       for every basis, and for a distributed run's parts and merge
 */
public record BillingConfig(String outputBucket, String outputPrefix, String deliveries, String historyTable,
                            Duration retention, String tagKey, Duration lease, Duration ledgerRetention,
                            WarehouseEnvironment.Kind warehouse, Optional<String> distributedRollup,
                            int distributedMinParts, List<CostBasis> costBases, Optional<String> upfrontLedgerKey,
                            Optional<AlertSettings> alerts, Optional<String> metricsKey,
                            EcsSplit ecsSplit) {
    public static final String OUTPUT_BUCKET = "OUTPUT_BUCKET";
    public static final String OUTPUT_PREFIX = "OUTPUT_PREFIX";
    public static final String DELIVERIES_TABLE = "DELIVERIES_TABLE";
    public static final String HISTORY_TABLE = "HISTORY_TABLE";
    public static final String RETENTION_DAYS = "HISTORY_RETENTION_DAYS";
    public static final String TAG_KEY = "TAG_KEY";
    public static final String LEASE_MINUTES = "DELIVERY_LEASE_MINUTES";
    public static final String LEDGER_RETENTION_DAYS = "DELIVERY_RETENTION_DAYS";
    public static final String WAREHOUSE = WarehouseEnvironment.KIND;
    /** With {@code WAREHOUSE=redshift}: the role Redshift reads the run's tables from S3 with ({@code COPY … IAM_ROLE}). */
    public static final String COPY_ROLE_ARN = "TALLY_REDSHIFT_COPY_ROLE_ARN";
    public static final String DISTRIBUTED_ROLLUP_STATE_MACHINE_ARN = "DISTRIBUTED_ROLLUP_STATE_MACHINE_ARN";
    public static final String DISTRIBUTED_MIN_PARTS = "DISTRIBUTED_MIN_PARTS";
    public static final String COST_BASES = "COST_BASES";
    public static final String UPFRONT_LEDGER_KEY = "UPFRONT_LEDGER_KEY";
    public static final String BUSINESS_METRICS_KEY = "BUSINESS_METRICS_KEY";
    public static final String ECS_SPLIT = "ECS_SPLIT";
    public static final String ALERT_RULES = AlertSettings.RULES;
    public static final String ALERT_TOPIC_ARN = AlertSettings.TOPIC_ARN;
    public static final String ALERT_WEBHOOK_SECRET_ID = AlertSettings.WEBHOOK_SECRET_ID;

    public static BillingConfig fromEnvironment(Map<String, String> env) {
        WarehouseEnvironment.Kind kind = WarehouseEnvironment.kind(env);
        String tagKey = env.getOrDefault(TAG_KEY, "product_area").trim();
        if (tagKey.isEmpty() || tagKey.contains(",")) {
            throw new IllegalStateException(TAG_KEY + " must be a tag key such as product_area, was '" + tagKey + "'");
        }
        long minParts = positive(env, DISTRIBUTED_MIN_PARTS, 2);
        if (minParts < 2 || minParts > Integer.MAX_VALUE) {
            throw new IllegalStateException(DISTRIBUTED_MIN_PARTS + " must be at least 2 (a bill of one part gains "
                    + "nothing from a distributed rollup), was " + minParts);
        }
        List<CostBasis> bases = costBases(env.get(COST_BASES));
        Optional<String> upfront = Optional.ofNullable(env.get(UPFRONT_LEDGER_KEY)).map(String::trim)
                .filter(key -> !key.isEmpty());
        if (upfront.isPresent() && !bases.contains(CostBasis.AMORTIZED)) {
            throw new IllegalStateException(UPFRONT_LEDGER_KEY + " spreads DBR upfront fees on the amortized basis, "
                    + "but " + COST_BASES + " is " + String.join(",", bases.stream().map(CostBasis::id).toList())
                    + ": add amortized, or unset " + UPFRONT_LEDGER_KEY);
        }
        EcsSplit split = ecsSplit(env.get(ECS_SPLIT));
        return new BillingConfig(required(env, OUTPUT_BUCKET), env.getOrDefault(OUTPUT_PREFIX, "").trim(),
                required(env, DELIVERIES_TABLE), required(env, HISTORY_TABLE),
                Duration.ofDays(positive(env, RETENTION_DAYS, 400)), tagKey,
                Duration.ofMinutes(positive(env, LEASE_MINUTES, 20)),
                Duration.ofDays(positive(env, LEDGER_RETENTION_DAYS, 400)), kind,
                Environment.stateMachineArn(env, DISTRIBUTED_ROLLUP_STATE_MACHINE_ARN), (int) minParts, bases, upfront,
                AlertSettings.fromEnvironment(env), Optional.ofNullable(env.get(BUSINESS_METRICS_KEY)).map(String::trim)
                .filter(key -> !key.isEmpty()), split);
    }

    /**
     * {@code ECS_SPLIT}: unset or blank is {@code events}; else {@code events} or {@code aws} (any case).
     *
     * @throws IllegalStateException naming the variable and the value it cannot use
     */
    static EcsSplit ecsSplit(String value) {
        if (value == null || value.isBlank()) {
            return EcsSplit.EVENTS;
        }
        try {
            return EcsSplit.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(ECS_SPLIT + " must be events or aws: " + e.getMessage(), e);
        }
    }

    /**
     * {@code COST_BASES}: unset or blank is {@code unblended}; else comma-separated bases, each once.
     *
     * @throws IllegalStateException naming the variable and the value it cannot use
     */
    static List<CostBasis> costBases(String value) {
        if (value == null || value.isBlank()) {
            return List.of(CostBasis.UNBLENDED);
        }
        Set<CostBasis> bases = EnumSet.noneOf(CostBasis.class);
        for (String item : value.split(",", -1)) {
            CostBasis basis;
            try {
                basis = CostBasis.parse(item);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(COST_BASES + " must be unblended, amortized or unblended,amortized: "
                        + e.getMessage() + " (was '" + value + "')");
            }
            if (!bases.add(basis)) {
                throw new IllegalStateException(COST_BASES + " names " + basis.id() + " twice (was '" + value + "')");
            }
        }
        return List.copyOf(bases);
    }
}
