package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The narrow Redshift-to-PostgreSQL translation of the Redshift Data API emulator. */
class RedshiftSqlTest {

    @Test
    void shouldDropDistributionSortEncodingAndBackupClausesOfCreateTable() {
        String redshift = "CREATE TABLE rollup (\n"
                + "  period CHAR(7) NOT NULL ENCODE zstd DISTKEY,\n"
                + "  area VARCHAR(64) ENCODE LZO SORTKEY,\n"
                + "  cost NUMERIC(38,10) encode az64\n"
                + ") BACKUP NO DISTSTYLE KEY DISTKEY (period) COMPOUND SORTKEY(period, area)";
        String postgres = RedshiftSql.translate(redshift);
        assertThat(postgres.replaceAll("\\s+", " ").trim()).isEqualTo(
                "CREATE TABLE rollup ( period CHAR(7) NOT NULL , area VARCHAR(64) , cost NUMERIC(38,10) )");

        assertThat(RedshiftSql.translate("create temp table t (id int) diststyle all interleaved sortkey (id)"
                + " encode auto").replaceAll("\\s+", " ").trim()).isEqualTo("create temp table t (id int)");
        assertThat(RedshiftSql.translate("CREATE TABLE t (id INT) DISTSTYLE AUTO SORTKEY AUTO BACKUP YES;")
                .replaceAll("\\s+", " ")).isEqualTo("CREATE TABLE t (id INT) ;");
    }

    @Test
    void shouldLeaveQuotedNamesLiteralsCommentsAndOtherStatementsAlone() {
        String create = "CREATE TABLE t (\"distkey\" INT DEFAULT 0, note VARCHAR(20) DEFAULT 'SORTKEY(x) ENCODE zstd'"
                + " /* DISTSTYLE ALL */, encode VARCHAR(8), backup BOOLEAN) -- SORTKEY(a)\n";
        assertThat(RedshiftSql.translate(create)).isEqualTo(create);
        String select = "SELECT distkey, sortkey FROM t WHERE encode = 'x'";
        assertThat(RedshiftSql.translate(select)).isSameAs(select);
        assertThat(RedshiftSql.translate("INSERT INTO t VALUES ('DISTSTYLE ALL')")).isEqualTo(
                "INSERT INTO t VALUES ('DISTSTYLE ALL')");
    }

    @Test
    void shouldBindNamedParametersButNotCastsLiteralsOrUnknownNames() {
        String sql = "SELECT :a::numeric, ':a', \":a\", x[1:2], :b, :a -- :a\n, :other";
        assertThat(RedshiftSql.placeholders(sql)).containsExactly("a", "b", "a", "other");
        assertThat(RedshiftSql.bind(sql, Map.of("a", "1", "b", "2")))
                .isEqualTo("SELECT ?::numeric, ':a', \":a\", x[1:2], ?, ? -- :a\n, :other");
        assertThat(RedshiftSql.placeholders("SELECT $$ :a $$, E'\\' :b', 'it''s :c'")).isEmpty();
    }

    @Test
    void shouldParseTheSupportedCopyFormInAnyOrderAndCase() throws Exception {
        RedshiftSql.Copy copy = RedshiftSql.copy("COPY public.rollup (period, area, cost) FROM"
                + " 's3://tally-bills/rollup/2024-05/part 0.csv.gz' IAM_ROLE 'arn:aws:iam::1:role/load'"
                + " FORMAT AS CSV IGNOREHEADER 1 GZIP TIMEFORMAT 'auto' REGION 'us-east-1';");
        assertThat(copy).isEqualTo(new RedshiftSql.Copy("public.rollup", "(period, area, cost)", "tally-bills",
                "rollup/2024-05/part 0.csv.gz", true, 1));
        assertThat(copy.postgresCopy())
                .isEqualTo("COPY public.rollup (period, area, cost) FROM STDIN WITH (FORMAT csv, HEADER true)");

        RedshiftSql.Copy other = RedshiftSql.copy("copy \"Roll Up\" from 's3://b/k.csv' region as 'eu-west-1' csv"
                + " iam_role default ignoreheader as 0 timeformat as 'YYYY-MM-DD HH:MI:SS'");
        assertThat(other).isEqualTo(new RedshiftSql.Copy("\"Roll Up\"", "", "b", "k.csv", false, 0));
        assertThat(other.postgresCopy()).isEqualTo("COPY \"Roll Up\" FROM STDIN WITH (FORMAT csv, HEADER false)");
    }

    @Test
    void shouldPassOtherCopiesOnAndRefuseWhatIsNotEmulated() {
        assertThat(copyOrError("COPY t FROM STDIN")).isNull();
        assertThat(copyOrError("COPY t TO '/tmp/x.csv'")).isNull();
        assertThat(copyOrError("SELECT 'COPY t FROM ''s3://b/k'''")).isNull();

        assertThat(copyOrError("COPY t FROM 's3://b/k.csv' IAM_ROLE 'r' DELIMITER '|'"))
                .contains("COPY option DELIMITER is not emulated");
        assertThat(copyOrError("COPY t FROM 's3://b/k.json' IAM_ROLE 'r' FORMAT AS JSON 'auto'"))
                .contains("FORMAT JSON is not emulated");
        assertThat(copyOrError("COPY t FROM 's3://b/k.csv' IAM_ROLE 'r'")).contains("CSV only");
        assertThat(copyOrError("COPY t FROM 's3://b/k.csv' CSV")).startsWith("ERROR: Missing authorization");
        assertThat(copyOrError("COPY t FROM 's3://b/' IAM_ROLE 'r' CSV")).contains("has no object key");
        assertThatThrownBy(() -> RedshiftSql.copy("COPY t FROM 's3://b/k' IAM_ROLE 'r' CSV MANIFEST"))
                .isInstanceOf(RedshiftSql.CopyException.class).hasMessageStartingWith("ERROR: ");
    }

    private static String copyOrError(String sql) {
        try {
            RedshiftSql.Copy copy = RedshiftSql.copy(sql);
            return copy == null ? null : copy.toString();
        } catch (RedshiftSql.CopyException e) {
            return e.getMessage();
        }
    }
}
