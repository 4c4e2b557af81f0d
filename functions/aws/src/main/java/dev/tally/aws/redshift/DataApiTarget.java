package dev.tally.aws.redshift;

import dev.tally.aws.Environment;
import software.amazon.awssdk.services.redshiftdata.model.BatchExecuteStatementRequest;
import software.amazon.awssdk.services.redshiftdata.model.ExecuteStatementRequest;

import java.util.Map;
import java.util.Optional;

/**
 * Which Redshift database the Data API runs statements on, and as whom: a provisioned cluster with a Secrets
 * Manager secret (or a database user, for temporary credentials), or a Serverless workgroup (as the caller's IAM
 * identity, or with a secret). Exactly the combinations the Data API accepts, checked when built.
 *
 * <p>From the environment ({@link #fromEnvironment}): {@value #CLUSTER} or {@value #WORKGROUP}, {@value #DATABASE}
 * (default {@code dev}), {@value #SECRET_ARN}, {@value #DB_USER}.
 */
public record DataApiTarget(Optional<String> clusterId, Optional<String> workgroup, String database,
                            Optional<String> secretArn, Optional<String> dbUser) {
    public static final String CLUSTER = "TALLY_REDSHIFT_CLUSTER";
    public static final String WORKGROUP = "TALLY_REDSHIFT_WORKGROUP";
    public static final String DATABASE = "TALLY_REDSHIFT_DATABASE";
    public static final String SECRET_ARN = "TALLY_REDSHIFT_SECRET_ARN";
    public static final String DB_USER = "TALLY_REDSHIFT_DB_USER";

    public DataApiTarget {
        if (clusterId.isPresent() == workgroup.isPresent()) {
            throw new IllegalArgumentException("name a cluster or a workgroup, not both or neither");
        }
        if (database == null || database.isBlank()) {
            throw new IllegalArgumentException("a database is needed");
        }
        if (clusterId.isPresent() && secretArn.isPresent() == dbUser.isPresent()) {
            throw new IllegalArgumentException("a cluster needs a secret ARN or a database user, one of them");
        }
        if (workgroup.isPresent() && dbUser.isPresent()) {
            throw new IllegalArgumentException("a Serverless workgroup takes no database user (a secret, or none)");
        }
    }

    public static DataApiTarget cluster(String clusterId, String database, String secretArn) {
        return new DataApiTarget(Optional.of(clusterId), Optional.empty(), database, Optional.of(secretArn),
                Optional.empty());
    }

    /** A cluster as a database user, with temporary credentials ({@code GetClusterCredentials}). */
    public static DataApiTarget clusterAsUser(String clusterId, String database, String dbUser) {
        return new DataApiTarget(Optional.of(clusterId), Optional.empty(), database, Optional.empty(),
                Optional.of(dbUser));
    }

    /** A Serverless workgroup, as the caller's IAM identity. */
    public static DataApiTarget workgroup(String workgroup, String database) {
        return new DataApiTarget(Optional.empty(), Optional.of(workgroup), database, Optional.empty(),
                Optional.empty());
    }

    /** @throws IllegalStateException naming the variable that is missing or does not fit */
    public static DataApiTarget fromEnvironment(Map<String, String> env) {
        Optional<String> cluster = optional(env, CLUSTER);
        Optional<String> workgroup = optional(env, WORKGROUP);
        if (cluster.isEmpty() && workgroup.isEmpty()) {
            throw new IllegalStateException(CLUSTER + " or " + WORKGROUP + " is not set");
        }
        try {
            return new DataApiTarget(cluster, workgroup, optional(env, DATABASE).orElse("dev"),
                    optional(env, SECRET_ARN), optional(env, DB_USER));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(CLUSTER + "/" + WORKGROUP + "/" + SECRET_ARN + "/" + DB_USER + ": "
                    + e.getMessage(), e);
        }
    }

    BatchExecuteStatementRequest.Builder applyTo(BatchExecuteStatementRequest.Builder request) {
        return request.clusterIdentifier(clusterId.orElse(null)).workgroupName(workgroup.orElse(null))
                .database(database).secretArn(secretArn.orElse(null)).dbUser(dbUser.orElse(null));
    }

    ExecuteStatementRequest.Builder applyTo(ExecuteStatementRequest.Builder request) {
        return request.clusterIdentifier(clusterId.orElse(null)).workgroupName(workgroup.orElse(null))
                .database(database).secretArn(secretArn.orElse(null)).dbUser(dbUser.orElse(null));
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Environment.required(env, name));
    }
}
