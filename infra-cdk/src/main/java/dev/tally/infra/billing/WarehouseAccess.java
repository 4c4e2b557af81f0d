package dev.tally.infra.billing;

import dev.tally.functions.billing.BillingConfig;
import dev.tally.infra.config.WarehouseSection;
import dev.tally.infra.function.TallyFunction;
import dev.tally.infra.nag.Nag;
import dev.tally.infra.warehouse.DataApiAccess;
import software.amazon.awscdk.services.iam.FromRoleArnOptions;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The billing function's way into Redshift: the Data API as every warehouse client has it ({@link DataApiAccess}),
 * and read access for the copy role to the runs' tables in the output bucket (docs/warehouse.md "What Redshift
 * needs").
 */
final class WarehouseAccess {
    private WarehouseAccess() {
    }

    /** The environment variables for the warehouse: {@link DataApiAccess}'s, and the copy role. */
    static Map<String, String> environment(WarehouseSection warehouse) {
        Map<String, String> env = new HashMap<>(DataApiAccess.environment(warehouse));
        if (warehouse.enabled()) {
            env.put(BillingConfig.COPY_ROLE_ARN, warehouse.copyRoleArn());
        }
        return env;
    }

    static void grant(Construct scope, WarehouseSection warehouse, TallyFunction function, IBucket output,
                      String tablesPattern) {
        if (!warehouse.enabled()) {
            return;
        }
        DataApiAccess.grant(scope, warehouse, function.role());
        IRole copyRole = Role.fromRoleArn(scope, "CopyRole", warehouse.copyRoleArn(),
                FromRoleArnOptions.builder().mutable(true).build());
        output.grantRead(copyRole, tablesPattern);
        Nag.suppress(copyRole.getNode().findChild("Policy"), "AwsSolutions-IAM5", "Redshift's COPY reads the runs' "
                        + "table objects under rollups/ and lists the keys that start with the one given",
                "Action::s3:GetObject*", "Action::s3:GetBucket*", "Action::s3:List*",
                "Resource::" + Nag.arn(output) + "/" + tablesPattern);
    }
}
