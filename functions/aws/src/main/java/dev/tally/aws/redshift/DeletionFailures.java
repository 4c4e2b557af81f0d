package dev.tally.aws.redshift;

import dev.tally.privacy.warehouse.WarehouseDeletionException;
import dev.tally.privacy.warehouse.WarehouseDeletionException.Kind;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.redshiftdata.model.ActiveSessionsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.ActiveStatementsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.ActiveWaitingRequestsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.DatabaseConnectionException;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.QueryTimeoutException;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Database failures of a deletion as {@link WarehouseDeletionException}s: which kind (worth retrying, a missing
 * table, for good) and a message of our own words. Neither an SQLException's nor the Data API's error text is
 * passed on — PostgreSQL's and Redshift's messages can quote the values of a statement ({@code invalid input
 * syntax for type integer: "u-1"}, a key's value in a detail) — they are only read to tell the kind.
 */
final class DeletionFailures {
    /** SQLSTATE classes worth another try: connection, transaction rollback, resources, operator, system. */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "40", "53", "57", "58");
    private static final Pattern MISSING_RELATION = Pattern.compile("relation \"[^\"]*\" does not exist");
    private static final Pattern MISSING_COLUMN = Pattern.compile("column \"[^\"]*\" does not exist");
    private static final Pattern PERMISSION = Pattern.compile("permission denied|must be owner|not authorized");
    private static final Pattern SYNTAX = Pattern.compile("syntax error");
    private static final Pattern TRANSIENT_TEXT = Pattern.compile("serializable isolation violation"
            + "|could not serialize|deadlock|connection|timed? ?out|canceling statement|lock|terminating"
            + "|too many|try again|temporarily|insufficient resources|out of memory|disk full");

    private DeletionFailures() {
    }

    /** A JDBC failure while working on {@code what} ("table analytics.tracks", "discovery"), by its SQLSTATE. */
    static WarehouseDeletionException jdbc(SQLException e, String what) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String said = " (SQLSTATE " + (state.isEmpty() ? "none" : state) + ")";
        if (state.equals("42P01")) {
            return new WarehouseDeletionException(Kind.MISSING_TABLE, what + ": no such table" + said);
        }
        if (state.equals("42703")) {
            return new WarehouseDeletionException(Kind.PERMANENT, what + ": no such column" + said);
        }
        if (state.equals("42501")) {
            return new WarehouseDeletionException(Kind.PERMANENT, what + ": permission denied" + said);
        }
        boolean transientState = state.length() >= 2 && TRANSIENT_CLASSES.contains(state.substring(0, 2))
                || state.equals("55P03")
                || state.equals("XX000") && e.getMessage() != null
                && e.getMessage().toLowerCase(Locale.ROOT).contains("serializable isolation violation");
        if (transientState || e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return new WarehouseDeletionException(Kind.TRANSIENT, what + ": the database failed for now" + said);
        }
        return new WarehouseDeletionException(Kind.PERMANENT, what + ": the database refused the statement" + said);
    }

    /** A Data API call that failed (refused, throttled, unreachable). */
    static WarehouseDeletionException sdk(SdkException e, String what) {
        String name = e.getClass().getSimpleName();
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            String said = " (" + (code == null ? name : code) + ", HTTP " + service.statusCode() + ")";
            boolean busy = e instanceof ActiveStatementsExceededException || e instanceof ActiveSessionsExceededException
                    || e instanceof ActiveWaitingRequestsExceededException || e instanceof DatabaseConnectionException
                    || e instanceof QueryTimeoutException;
            if (busy || service.isThrottlingException() || service.statusCode() >= 500) {
                return new WarehouseDeletionException(Kind.TRANSIENT, what + ": the Redshift Data API failed for now"
                        + said);
            }
            return new WarehouseDeletionException(Kind.PERMANENT, what + ": the Redshift Data API refused the call"
                    + said);
        }
        return new WarehouseDeletionException(Kind.TRANSIENT, what + ": the Redshift Data API could not be reached ("
                + name + ")");
    }

    /** A statement or batch that ended other than FINISHED, by its status and (read, not repeated) error. */
    static WarehouseDeletionException statement(DescribeStatementResponse statement, String what) {
        if (statement.status() == StatusString.ABORTED) {
            return new WarehouseDeletionException(Kind.TRANSIENT, what + ": the statement was cancelled (ABORTED)");
        }
        String error = statement.error() == null ? "" : statement.error().toLowerCase(Locale.ROOT);
        if (MISSING_RELATION.matcher(error).find()) {
            return new WarehouseDeletionException(Kind.MISSING_TABLE, what + ": no such table");
        }
        if (MISSING_COLUMN.matcher(error).find()) {
            return new WarehouseDeletionException(Kind.PERMANENT, what + ": no such column");
        }
        if (PERMISSION.matcher(error).find()) {
            return new WarehouseDeletionException(Kind.PERMANENT, what + ": permission denied");
        }
        if (SYNTAX.matcher(error).find()) {
            return new WarehouseDeletionException(Kind.PERMANENT, what + ": syntax error");
        }
        if (TRANSIENT_TEXT.matcher(error).find()) {
            return new WarehouseDeletionException(Kind.TRANSIENT, what + ": the database failed for now (FAILED)");
        }
        return new WarehouseDeletionException(Kind.PERMANENT, what + ": the database refused the statement (FAILED)");
    }

    static WarehouseDeletionException timedOut(DataApiStatements statements, String what) {
        return new WarehouseDeletionException(Kind.TRANSIENT, what + ": the statement did not end within "
                + statements.timeout() + " and was cancelled");
    }

    static WarehouseDeletionException interrupted(String what) {
        Thread.currentThread().interrupt();
        return new WarehouseDeletionException(Kind.TRANSIENT, what + ": interrupted while waiting for the database");
    }
}
