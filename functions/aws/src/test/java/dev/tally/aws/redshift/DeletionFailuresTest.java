package dev.tally.aws.redshift;

import dev.tally.privacy.warehouse.WarehouseDeletionException;
import dev.tally.privacy.warehouse.WarehouseDeletionException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.redshiftdata.model.ActiveStatementsExceededException;
import software.amazon.awssdk.services.redshiftdata.model.DescribeStatementResponse;
import software.amazon.awssdk.services.redshiftdata.model.RedshiftDataException;
import software.amazon.awssdk.services.redshiftdata.model.StatusString;
import software.amazon.awssdk.services.redshiftdata.model.ValidationException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures are worth a retry, and that none of them repeats the database's words (they can hold ids). */
class DeletionFailuresTest {
    private static final String ID = "u-secret-7";

    @ParameterizedTest(name = "SQLSTATE {0} → {1}")
    @CsvSource({"42P01, MISSING_TABLE", "42703, PERMANENT", "42501, PERMANENT", "42601, PERMANENT", "22P02, PERMANENT",
            "42883, PERMANENT", "40001, TRANSIENT", "40P01, TRANSIENT", "08006, TRANSIENT", "57014, TRANSIENT",
            "53300, TRANSIENT", "55P03, TRANSIENT", "XX000, PERMANENT"})
    void shouldTellTheKindOfAJdbcFailure_bySqlState(String state, Kind kind) {
        WarehouseDeletionException failure = DeletionFailures.jdbc(
                new SQLException("ERROR: invalid input syntax for type integer: \"" + ID + "\"", state), "table t");

        assertThat(failure.kind()).isEqualTo(kind);
        assertThat(failure.getMessage()).startsWith("table t: ").contains("SQLSTATE " + state).doesNotContain(ID);
        assertThat(failure.getCause()).isNull();
    }

    @Test
    void shouldRetryRedshiftsSerializableIsolationViolation_andConnectionsLost() {
        assertThat(DeletionFailures.jdbc(new SQLException("ERROR: 1023 DETAIL: Serializable isolation violation on "
                + "table", "XX000"), "t").kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(DeletionFailures.jdbc(new SQLTransientConnectionException("refused " + ID), "t").kind())
                .isEqualTo(Kind.TRANSIENT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ERROR: relation \"analytics.tracks\" does not exist|MISSING_TABLE",
            "ERROR: column \"user_id\" does not exist|PERMANENT",
            "ERROR: permission denied for relation tracks|PERMANENT",
            "ERROR: syntax error at or near \"u-secret-7\"|PERMANENT",
            "ERROR: invalid input syntax for type integer: \"u-secret-7\"|PERMANENT",
            "ERROR: 1023 DETAIL: Serializable isolation violation on table - 100123|TRANSIENT",
            "ERROR: could not serialize access due to concurrent update|TRANSIENT",
            "ERROR: deadlock detected|TRANSIENT",
            "ERROR: terminating connection due to administrator command|TRANSIENT"})
    void shouldTellTheKindOfAFailedStatement_byItsErrorWithoutRepeatingIt(String error, Kind kind) {
        WarehouseDeletionException failure = DeletionFailures.statement(DescribeStatementResponse.builder()
                .status(StatusString.FAILED).error(error).build(), "table t");

        assertThat(failure.kind()).isEqualTo(kind);
        assertThat(failure.getMessage()).doesNotContain(ID).doesNotContain("ERROR");
    }

    @Test
    void shouldRetryAnAbortedStatement() {
        assertThat(DeletionFailures.statement(DescribeStatementResponse.builder().status(StatusString.ABORTED).build(),
                "t").kind()).isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void shouldRetryThrottlingBusyAndUnreachable_butNotAValidationError() {
        assertThat(DeletionFailures.sdk(ActiveStatementsExceededException.builder().statusCode(400)
                .message(ID).build(), "t").kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(DeletionFailures.sdk(RedshiftDataException.builder().statusCode(400).awsErrorDetails(
                AwsErrorDetails.builder().errorCode("ThrottlingException").build()).message(ID).build(), "t").kind())
                .isEqualTo(Kind.TRANSIENT);
        assertThat(DeletionFailures.sdk(RedshiftDataException.builder().statusCode(503).message(ID).build(), "t")
                .kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(DeletionFailures.sdk(SdkClientException.create("connect timed out " + ID), "t").kind())
                .isEqualTo(Kind.TRANSIENT);
        WarehouseDeletionException refused = DeletionFailures.sdk(ValidationException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").build())
                .message("bad sql near " + ID).build(), "t");
        assertThat(refused.kind()).isEqualTo(Kind.PERMANENT);
        assertThat(refused.getMessage()).isEqualTo("t: the Redshift Data API refused the call (ValidationException, "
                + "HTTP 400)");
    }
}
