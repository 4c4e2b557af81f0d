package dev.tally.infra.billing;

import dev.tally.billing.CostBasis;
import dev.tally.rollup.RollupTables;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.glue.CfnDatabase;
import software.amazon.awscdk.services.glue.CfnTable;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Glue tables over the billing function's S3 layout (docs/billing-function.md "Outputs"), so Athena queries the
 * rollups with no crawler: for each of {@link RollupTables}, {@code <table>_rollup} over every run
 * ({@code rollups/<table>/billing_period=…/cost_basis=…/run_id=…/}) and {@code <table>_finalized} over the finalized
 * tables ({@code finalized/<table>/billing_period=…/cost_basis=…/}). Columns are the code's, minus
 * {@code billing_period} (a partition); money ({@link RollupTables#isMoney}: {@code cost}, and
 * {@code ecs_split_comparison}'s {@code events_cost}, {@code aws_cost} and {@code difference}) is {@code decimal(38,10)},
 * the rest strings. Partitions are
 * projected: periods as months from {@value #FIRST_PERIOD} to now, the cost basis as an enum of the configured bases
 * (a query filters on it, or reads both bases added up), and run ids injected (a query over {@code _rollup} names
 * its run ids, as the runs' {@code run.json} or the warehouse's {@code rollup_runs} list them).
 */
final class RollupGlueTables extends Construct {
    /** The first billing period the projection offers; months before it hold no AWS bills Tally reads. */
    static final String FIRST_PERIOD = "2015-01";
    static final String PERIOD = "billing_period";
    static final String RUN_ID = "run_id";
    static final String COST_BASIS = "cost_basis";

    private final CfnDatabase database;
    private final String bases;

    /** @param bases the configured cost bases: the values the {@code cost_basis} partition can have */
    RollupGlueTables(Construct scope, String id, String databaseName, IBucket output, String outputPrefix,
                     List<CostBasis> bases) {
        super(scope, id);
        this.bases = String.join(",", bases.stream().map(CostBasis::id).toList());
        String account = Stack.of(this).getAccount();
        database = CfnDatabase.Builder.create(this, "Database")
                .catalogId(account)
                .databaseInput(CfnDatabase.DatabaseInputProperty.builder()
                        .name(databaseName)
                        .description("Tally's cost rollups in S3 (" + output.getBucketName() + ")")
                        .build())
                .build();
        String root = "s3://" + output.getBucketName() + "/" + outputPrefix;
        for (RollupTables table : RollupTables.values()) {
            String runs = root + "rollups/" + table.id() + "/";
            table(table, table.id() + "_rollup", runs, List.of(PERIOD, COST_BASIS, RUN_ID),
                    runs + PERIOD + "=${" + PERIOD + "}/" + COST_BASIS + "=${" + COST_BASIS + "}/" + RUN_ID + "=${"
                            + RUN_ID + "}/");
            String finalized = root + "finalized/" + table.id() + "/";
            table(table, table.id() + "_finalized", finalized, List.of(PERIOD, COST_BASIS),
                    finalized + PERIOD + "=${" + PERIOD + "}/" + COST_BASIS + "=${" + COST_BASIS + "}/");
        }
    }

    private void table(RollupTables table, String name, String location, List<String> partitions, String template) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("classification", "csv");
        parameters.put("skip.header.line.count", "1");
        parameters.put("projection.enabled", "true");
        parameters.put("projection." + PERIOD + ".type", "date");
        parameters.put("projection." + PERIOD + ".format", "yyyy-MM");
        parameters.put("projection." + PERIOD + ".range", FIRST_PERIOD + ",NOW");
        parameters.put("projection." + PERIOD + ".interval", "1");
        parameters.put("projection." + PERIOD + ".interval.unit", "MONTHS");
        parameters.put("projection." + COST_BASIS + ".type", "enum");
        parameters.put("projection." + COST_BASIS + ".values", bases);
        if (partitions.contains(RUN_ID)) {
            parameters.put("projection." + RUN_ID + ".type", "injected");
        }
        parameters.put("storage.location.template", template);
        CfnTable.Builder.create(this, name)
                .catalogId(database.getCatalogId())
                .databaseName(database.getRef())
                .tableInput(CfnTable.TableInputProperty.builder()
                        .name(name)
                        .description("Tally " + table.id() + (partitions.contains(RUN_ID) ? ", every run" : ", finalized"))
                        .tableType("EXTERNAL_TABLE")
                        .parameters(parameters)
                        .partitionKeys(partitions.stream().map(p -> column(p, "string")).toList())
                        .storageDescriptor(CfnTable.StorageDescriptorProperty.builder()
                                .location(location)
                                .inputFormat("org.apache.hadoop.mapred.TextInputFormat")
                                .outputFormat("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat")
                                .serdeInfo(CfnTable.SerdeInfoProperty.builder()
                                        .serializationLibrary("org.apache.hadoop.hive.serde2.OpenCSVSerde")
                                        .parameters(Map.of("separatorChar", ",", "quoteChar", "\"", "escapeChar", "\\"))
                                        .build())
                                .columns(columns(table))
                                .build())
                        .build())
                .build();
    }

    /** The table's columns as the code writes them, without the period (the partition holds it); money exact. */
    static List<Object> columns(RollupTables table) {
        List<Object> columns = new ArrayList<>();
        for (String name : table.columns()) {
            if (!name.equals(PERIOD)) {
                columns.add(column(name, RollupTables.isMoney(name) ? "decimal(38,10)" : "string"));
            }
        }
        return columns;
    }

    private static CfnTable.ColumnProperty column(String name, String type) {
        return CfnTable.ColumnProperty.builder().name(name).type(type).build();
    }

    CfnDatabase database() {
        return database;
    }
}
