package dev.tally.privacy.warehouse;

import dev.tally.privacy.PrivacyConfig;
import dev.tally.privacy.PrivacyConfig.InvalidConfigException;
import dev.tally.privacy.SubjectType;
import dev.tally.privacy.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WarehouseTargetConfigTest {

    static Target target(String entry) {
        return PrivacyConfig.parse("{\"targets\": [{\"name\": \"warehouse\", \"kind\": \"WAREHOUSE\", " + entry + "}]}")
                .targets().get(0);
    }

    @Test
    void shouldReadEveryField_whenTheEntryIsComplete() {
        WarehouseTargetConfig config = WarehouseTargetConfig.of(target("\"tables\": [\"analytics.tracks\", \"pages\"],"
                + " \"schemas\": [\"analytics\", \"crm_2\"], \"columns\": {\"USER_ID\": \"user_id\", \"EMAIL\": \"email\"},"
                + " \"batch_size\": 5000, \"request_types\": [\"DELETE\"]"));

        assertThat(config.name()).isEqualTo("warehouse");
        assertThat(config.tables()).containsExactly("analytics.tracks", "pages");
        assertThat(config.schemas()).containsExactly("analytics", "crm_2");
        assertThat(config.columns()).isEqualTo(Map.of(SubjectType.USER_ID, "user_id", SubjectType.EMAIL, "email"));
        assertThat(config.batchSize()).isEqualTo(5000);
    }

    @Test
    void shouldDefaultTheBatchSizeAndLeaveATypeWithoutColumnOut_whenTheyAreNotGiven() {
        WarehouseTargetConfig config = WarehouseTargetConfig.of(target("\"schemas\": [\"analytics\"], "
                + "\"columns\": {\"USER_ID\": \"user_id\"}"));

        assertThat(config.batchSize()).isEqualTo(WarehouseTargetConfig.DEFAULT_BATCH_SIZE);
        assertThat(config.tables()).isEmpty();
        assertThat(config.column(SubjectType.USER_ID)).contains("user_id");
        assertThat(config.column(SubjectType.EMAIL)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "\"tables\": [\"t\"], \"columns\": {\"USER_ID\": \"u\"}, \"table\": [\"x\"]|targets[warehouse].table is not a field",
            "\"columns\": {\"USER_ID\": \"u\"}|targets[warehouse].tables or targets[warehouse].schemas must name",
            "\"tables\": [], \"schemas\": [], \"columns\": {\"USER_ID\": \"u\"}|targets[warehouse].tables or",
            "\"tables\": \"analytics.tracks\", \"columns\": {\"USER_ID\": \"u\"}|targets[warehouse].tables must be an array",
            "\"tables\": [\"Analytics.Tracks\"], \"columns\": {\"USER_ID\": \"u\"}|targets[warehouse].tables[0] 'Analytics.Tracks' is not a table name",
            "\"tables\": [\"a.b.c\"], \"columns\": {\"USER_ID\": \"u\"}|targets[warehouse].tables[0] 'a.b.c' is not",
            "\"tables\": [\"t; DROP TABLE x\"], \"columns\": {\"USER_ID\": \"u\"}|targets[warehouse].tables[0]",
            "\"tables\": [\"t\", 3], \"columns\": {\"USER_ID\": \"u\"}|targets[warehouse].tables[1] must be a string",
            "\"tables\": [\"t\", \"t\"], \"columns\": {\"USER_ID\": \"u\"}|targets[warehouse].tables[1] 't' is listed twice",
            "\"schemas\": [\"a.b\"], \"columns\": {\"USER_ID\": \"u\"}|targets[warehouse].schemas[0] 'a.b' is not a schema name",
            "\"tables\": [\"t\"]|targets[warehouse].columns must map at least one",
            "\"tables\": [\"t\"], \"columns\": {}|targets[warehouse].columns must map at least one",
            "\"tables\": [\"t\"], \"columns\": {\"PHONE\": \"phone\"}|targets[warehouse].columns.PHONE is not a subject type",
            "\"tables\": [\"t\"], \"columns\": {\"user_id\": \"u\"}|targets[warehouse].columns.user_id is not a subject type",
            "\"tables\": [\"t\"], \"columns\": {\"USER_ID\": \"s.u\"}|targets[warehouse].columns.USER_ID must be a column name",
            "\"tables\": [\"t\"], \"columns\": {\"USER_ID\": 7}|targets[warehouse].columns.USER_ID must be a column name",
            "\"tables\": [\"t\"], \"columns\": {\"USER_ID\": \"u\"}, \"batch_size\": 0|targets[warehouse].batch_size must be a whole number from 1 to 5000",
            "\"tables\": [\"t\"], \"columns\": {\"USER_ID\": \"u\"}, \"batch_size\": 5001|targets[warehouse].batch_size must be",
            "\"tables\": [\"t\"], \"columns\": {\"USER_ID\": \"u\"}, \"batch_size\": 10.5|targets[warehouse].batch_size must be",
            "\"tables\": [\"t\"], \"columns\": {\"USER_ID\": \"u\"}, \"batch_size\": \"100\"|targets[warehouse].batch_size must be",
    })
    void shouldFailNamingTheField_whenTheEntryIsWrong(String entry, String message) {
        assertThatThrownBy(() -> WarehouseTargetConfig.of(target(entry)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("privacy config: ")
                .hasMessageContaining(message);
    }

    @Test
    void shouldRefuseATargetOfAnotherKind() {
        Target archive = PrivacyConfig.parse("{\"targets\": [{\"name\": \"a\", \"kind\": \"S3_ARCHIVE\"}]}").targets().get(0);

        assertThatThrownBy(() -> WarehouseTargetConfig.of(archive)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not WAREHOUSE");
    }

    @Test
    void shouldAcceptIdentifiersWithDigitsUnderscoresAndDollars() {
        WarehouseTargetConfig config = WarehouseTargetConfig.of(target("\"tables\": [\"_s1.t$2\"], "
                + "\"columns\": {\"EMAIL\": \"e_mail$\"}"));

        assertThat(config.tables()).isEqualTo(List.of("_s1.t$2"));
        assertThat(config.column(SubjectType.EMAIL)).contains("e_mail$");
    }
}
