package dev.tally.infra.warehouse;

import dev.tally.aws.redshift.DataApiTarget;
import dev.tally.aws.redshift.WarehouseEnvironment;
import dev.tally.infra.config.WarehouseSection;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A function's way into Redshift through the Data API (docs/warehouse.md "What Redshift needs"), for every function
 * that talks to the warehouse (the billing function, the privacy workers): the environment {@link DataApiTarget}
 * reads, statements on the configured workgroup or cluster only, the statement-level calls on the caller's own
 * statements only, and the credentials (the secret's value, or Serverless's temporary ones).
 */
public final class DataApiAccess {
    private DataApiAccess() {
    }

    /** {@code WAREHOUSE=none}, or {@code redshift} with the Data API target's variables. */
    public static Map<String, String> environment(WarehouseSection warehouse) {
        Map<String, String> env = new HashMap<>();
        WarehouseEnvironment.Kind kind = warehouse.enabled() ? WarehouseEnvironment.Kind.REDSHIFT
                : WarehouseEnvironment.Kind.NONE;
        env.put(WarehouseEnvironment.KIND, kind.name().toLowerCase(Locale.ROOT));
        if (warehouse.enabled()) {
            warehouse.workgroupArn().ifPresent(arn -> env.put(DataApiTarget.WORKGROUP, arn));
            warehouse.clusterId().ifPresent(id -> env.put(DataApiTarget.CLUSTER, id));
            env.put(DataApiTarget.DATABASE, warehouse.database());
            warehouse.secretArn().ifPresent(arn -> env.put(DataApiTarget.SECRET_ARN, arn));
        }
        return env;
    }

    /** Grants {@code role} the Data API on the configured warehouse; nothing when there is none. */
    public static void grant(Construct scope, WarehouseSection warehouse, IRole role) {
        if (!warehouse.enabled()) {
            return;
        }
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("redshift-data:ExecuteStatement", "redshift-data:BatchExecuteStatement"))
                .resources(List.of(warehouse.resourceArn()))
                .build());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("redshift-data:DescribeStatement", "redshift-data:GetStatementResult",
                        "redshift-data:CancelStatement"))
                .resources(List.of("*"))
                .conditions(Map.of("StringEquals", Map.of("redshift-data:statement-owner-iam-userid", "${aws:userid}")))
                .build());
        if (warehouse.workgroupArn().isPresent() && warehouse.secretArn().isEmpty()) {
            role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                    .actions(List.of("redshift-serverless:GetCredentials"))
                    .resources(List.of(warehouse.resourceArn()))
                    .build());
        }
        warehouse.secretArn().ifPresent(arn ->
                Secret.fromSecretCompleteArn(scope, "WarehouseSecret", arn).grantRead(role));
    }
}
