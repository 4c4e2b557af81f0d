package dev.tally.aws.redshift;

import dev.tally.privacy.SubjectType;
import dev.tally.privacy.warehouse.WarehouseDeletionPlan;
import dev.tally.privacy.warehouse.WarehouseDeletionPlan.Match;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.tally.aws.redshift.WarehouseSql.Dialect.POSTGRES;
import static dev.tally.aws.redshift.WarehouseSql.Dialect.REDSHIFT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The deletion SQL and its literals (their round trip on PostgreSQL: {@code SqlLiteralsRoundTripIT}). */
class DeletionSqlTest {

    @Test
    void shouldDoubleQuotes_andKeepUnicode_inBothDialects() {
        for (WarehouseSql.Dialect dialect : WarehouseSql.Dialect.values()) {
            assertThat(SqlLiterals.string(dialect, "it's")).isEqualTo("'it''s'");
            assertThat(SqlLiterals.string(dialect, "''")).isEqualTo("''''''");
            assertThat(SqlLiterals.string(dialect, "ünï 日本 😀")).isEqualTo("'ünï 日本 😀'");
            assertThat(SqlLiterals.string(dialect, "")).isEqualTo("''");
        }
    }

    @Test
    void shouldWriteBackslashesAsChr92OnRedshift_soThatNoBackslashRuleApplies() {
        assertThat(SqlLiterals.string(REDSHIFT, "a\\'b")).isEqualTo("('a' || CHR(92) || '''b')");
        assertThat(SqlLiterals.string(REDSHIFT, "\\")).isEqualTo("('' || CHR(92) || '')");
        assertThat(SqlLiterals.string(REDSHIFT, "o'brien\\")).isEqualTo("('o''brien' || CHR(92) || '')")
                .doesNotContain("\\");
    }

    @Test
    void shouldWriteBackslashesAsAnEscapeStringOnPostgres_doubled() {
        assertThat(SqlLiterals.string(POSTGRES, "a\\'b")).isEqualTo("E'a\\\\''b'");
        assertThat(SqlLiterals.string(POSTGRES, "\\\\")).isEqualTo("E'\\\\\\\\'");
    }

    @Test
    void shouldRefuseNul_withoutTheValueInTheMessage() {
        assertThatThrownBy(() -> SqlLiterals.string(REDSHIFT, "secret\0id"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("secret");
    }

    @Test
    void shouldDeleteByBoundIds_lowerCasingTheColumnForEmails() {
        assertThat(DeletionSql.delete("analytics.tracks", "user_id", Match.EXACT, 3))
                .isEqualTo("DELETE FROM \"analytics\".\"tracks\" WHERE \"user_id\" IN (?, ?, ?)");
        assertThat(DeletionSql.delete("tracks", "email", Match.LOWER_CASE, 1))
                .isEqualTo("DELETE FROM \"tracks\" WHERE LOWER(\"email\") IN (?)");
    }

    @Test
    void shouldDeleteByLiterals_andQuoteUnusualTableNames() {
        assertThat(DeletionSql.delete("s.we\"ird.name", "user_id", Match.EXACT, List.of("a", "b\\"), REDSHIFT))
                .isEqualTo("DELETE FROM \"s\".\"we\"\"ird.name\" WHERE \"user_id\" IN ('a', ('b' || CHR(92) || ''))");
        assertThatThrownBy(() -> DeletionSql.delete("t", "user_id", Match.EXACT, List.of(), REDSHIFT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeletionSql.delete("t", "User Id", Match.EXACT, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldDiscoverBaseTablesWithTheColumn_boundOrWithValidatedNames() {
        assertThat(DeletionSql.discovery(2)).contains("t.table_type = 'BASE TABLE'")
                .contains("c.column_name = ? AND c.table_schema IN (?, ?)");
        assertThat(DeletionSql.discovery(List.of("analytics", "crm"), "user_id"))
                .contains("c.column_name = 'user_id' AND c.table_schema IN ('analytics', 'crm')");
        assertThatThrownBy(() -> DeletionSql.discovery(List.of("x' OR '1'='1"), "user_id"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldCutADataApiBatch_intoStatementsWithinTheSizeLimit_eachKeepingItsRequest() {
        List<String> longIds = IntStream.range(0, 300).mapToObj(i -> "ü".repeat(250) + i).toList();
        WarehouseDeletionPlan plan = WarehouseDeletionPlan.of(List.of("t"), "user_id", SubjectType.USER_ID,
                Map.of("req-1", longIds, "req-2", List.of("short")), 5000);

        List<DataApiWarehouseDeleter.Delete> deletes = DataApiWarehouseDeleter.deletes("t", plan);

        assertThat(deletes).hasSizeGreaterThan(2);
        assertThat(deletes).allSatisfy(delete -> assertThat(delete.sql().getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(DataApiWarehouseDeleter.MAX_STATEMENT_BYTES));
        assertThat(deletes.get(deletes.size() - 1)).isEqualTo(new DataApiWarehouseDeleter.Delete("req-2",
                "DELETE FROM \"t\" WHERE \"user_id\" IN ('short')"));
        assertThat(deletes.subList(0, deletes.size() - 1)).allSatisfy(d -> assertThat(d.requestId()).isEqualTo("req-1"));
        long idsInStatements = deletes.stream().mapToLong(d -> d.sql().chars().filter(c -> c == ',').count() + 1).sum();
        assertThat(idsInStatements).isEqualTo(301);
        assertThat(deletes.get(0).toString()).doesNotContain("ü");
    }
}
