package dev.tally.aws.redshift;

import dev.tally.local.AwsEndpoints;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SqlLiterals#string}'s literals read back on PostgreSQL as the very string they were made of:
 * {@code SELECT <literal>} returns it, in both dialects, whether standard_conforming_strings is on (PostgreSQL's
 * default, and how the local Data API endpoint runs Redshift's SQL) or off (backslashes as escapes, as Redshift
 * reads plain literals).
 */
@LocalAwsTest(services = LocalService.POSTGRES)
class SqlLiteralsRoundTripIT {
    private static final String[] VALUES = {"plain", "it's", "''", "back\\slash", "a\\'b", "\\", "\\\\", "'\\",
            "ends with\\", "\\'; DROP TABLE x; --", "ünï-çødé 日本 😀", "line\nbreak\ttab\r", "%_*?", "E'x'", "$$q$$",
            "CHR(92)", "' || CHR(92) || '", ""};

    @ParameterizedTest(name = "standard_conforming_strings {0}")
    @ValueSource(strings = {"on", "off"})
    void shouldReadEveryLiteralBackAsTheOriginal_inBothDialects(String conforming, AwsEndpoints aws) throws Exception {
        try (Connection connection = DriverManager.getConnection(aws.jdbcUrl(), aws.jdbcUser(), aws.jdbcPassword());
             Statement statement = connection.createStatement()) {
            statement.execute("SET standard_conforming_strings = " + conforming);
            for (WarehouseSql.Dialect dialect : WarehouseSql.Dialect.values()) {
                for (String value : VALUES) {
                    String literal = SqlLiterals.string(dialect, value);
                    try (ResultSet result = statement.executeQuery("SELECT " + literal)) {
                        result.next();
                        assertThat(result.getString(1)).as("%s %s", dialect, literal).isEqualTo(value);
                    }
                }
            }
        }
    }
}
