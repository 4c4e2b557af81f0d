package dev.tally.infra.config;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code billing.warehouse}: {@code "type": "none"} (runs in S3 only) or {@code "type": "dataApi"}, Redshift through
 * the Data API: a Serverless {@code workgroupArn} or a provisioned {@code clusterId} (in the deployment's account and
 * region), the {@code database} ({@code dev}), the {@code secretArn} of its credentials (required for a cluster), and
 * the {@code copyRoleArn} the cluster reads the runs' tables from S3 with ({@code COPY … IAM_ROLE}).
 *
 * @param resourceArn the workgroup's or cluster's ARN (what the Data API grant is scoped to)
 */
public record WarehouseSection(boolean enabled, Optional<String> workgroupArn, Optional<String> clusterId,
                               String resourceArn, String database, Optional<String> secretArn, String copyRoleArn) {
    private static final Pattern WORKGROUP_ARN =
            Pattern.compile("arn:aws[a-z-]*:redshift-serverless:[a-z0-9-]+:\\d{12}:workgroup/[0-9a-f-]{36}");
    private static final Pattern CLUSTER_ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private static final Pattern SECRET_ARN = Pattern.compile("arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:.+");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/.+");
    private static final Pattern DATABASE = Pattern.compile("[a-z_][a-z0-9_$]{0,126}");

    public static WarehouseSection none() {
        return new WarehouseSection(false, Optional.empty(), Optional.empty(), "", "", Optional.empty(), "");
    }

    static WarehouseSection read(ConfigReader in, TallyConfig.DeployEnvironment environment) {
        String type = in.has("type") ? in.string("type") : "none";
        if ("none".equals(type)) {
            in.only(Set.of("type"));
            return none();
        }
        if (!"dataApi".equals(type)) {
            in.problem("type", "must be none or dataApi, was '" + type + "'");
            return none();
        }
        in.only(Set.of("type", "workgroupArn", "clusterId", "database", "secretArn", "copyRoleArn"));
        Optional<String> workgroup = in.optionalString("workgroupArn");
        Optional<String> cluster = in.optionalString("clusterId");
        if (workgroup.isPresent() == cluster.isPresent()) {
            in.problem("workgroupArn", "give either workgroupArn or clusterId");
        }
        workgroup.filter(w -> !WORKGROUP_ARN.matcher(w).matches()).ifPresent(w -> in.problem("workgroupArn",
                "must be a workgroup ARN (arn:aws:redshift-serverless:<region>:<account>:workgroup/<id>), was '" + w + "'"));
        cluster.filter(c -> !CLUSTER_ID.matcher(c).matches())
                .ifPresent(c -> in.problem("clusterId", "must be a cluster identifier, was '" + c + "'"));
        Optional<String> secret = in.optionalString("secretArn");
        secret.filter(s -> !SECRET_ARN.matcher(s).matches())
                .ifPresent(s -> in.problem("secretArn", "must be a Secrets Manager secret ARN, was '" + s + "'"));
        if (cluster.isPresent() && secret.isEmpty()) {
            in.problem("secretArn", "is required with clusterId");
        }
        String database = in.has("database") ? in.matching("database", DATABASE, "a database name") : "dev";
        String copyRole = in.matching("copyRoleArn", ROLE_ARN, "an IAM role ARN");
        String arn = workgroup.orElseGet(() -> "arn:aws:redshift:" + environment.region() + ":"
                + environment.account() + ":cluster:" + cluster.orElse(""));
        return new WarehouseSection(true, workgroup, cluster, arn, database, secret, copyRole);
    }
}
