package dev.tally.privacy.warehouse;

import dev.tally.privacy.RequestType;
import dev.tally.privacy.SubjectType;
import dev.tally.privacy.TargetKind;
import dev.tally.privacy.target.TargetOutcome;
import dev.tally.privacy.target.TargetWork;
import dev.tally.privacy.warehouse.WarehouseDeletionException.Kind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How the executor turns the port's answers into outcomes and evidence, against a scripted deleter. */
class WarehouseExecutorTest {
    private static final String ENTRY = "\"tables\": [\"analytics.tracks\"], \"schemas\": [\"crm\"], "
            + "\"columns\": {\"USER_ID\": \"user_id\"}, \"batch_size\": 2";

    /** Deletes by a script: rows per table and request, or a failure per table; records the plans. */
    private static final class ScriptedDeleter implements WarehouseDeleter {
        final Map<String, Map<String, Long>> rows = new HashMap<>();
        final Map<String, WarehouseDeletionException> failures = new HashMap<>();
        List<String> discovered = List.of("crm.contacts", "analytics.tracks");
        WarehouseDeletionException discoveryFailure;
        final List<String> deletedFrom = new ArrayList<>();
        final List<WarehouseDeletionPlan> plans = new ArrayList<>();
        final List<List<String>> schemasAsked = new ArrayList<>();

        @Override
        public List<String> tablesWithColumn(List<String> schemas, String column) throws WarehouseDeletionException {
            schemasAsked.add(schemas);
            if (discoveryFailure != null) {
                throw discoveryFailure;
            }
            return discovered;
        }

        @Override
        public Map<String, Long> delete(String table, WarehouseDeletionPlan plan) throws WarehouseDeletionException {
            deletedFrom.add(table);
            plans.add(plan);
            if (failures.containsKey(table)) {
                throw failures.get(table);
            }
            return rows.getOrDefault(table, Map.of());
        }
    }

    private final ScriptedDeleter deleter = new ScriptedDeleter();
    private final WarehouseExecutor executor = new WarehouseExecutor(deleter);

    private static TargetWork work(String entry, RequestType type, SubjectType subjectType,
                                   Map<String, List<String>> subjects) {
        return new TargetWork(WarehouseTargetConfigTest.target(entry), type, subjectType, subjects, 1);
    }

    private static TargetWork twoRequests() {
        return work(ENTRY, RequestType.DELETE, SubjectType.USER_ID,
                Map.of("req-1", List.of("u-1", "u-2", "u-3"), "req-2", List.of("u-4")));
    }

    @Test
    void shouldDeleteFromConfiguredThenDiscoveredTables_andGiveEachRequestItsOwnCounts() {
        deleter.rows.put("analytics.tracks", Map.of("req-1", 5L, "req-2", 1L));
        deleter.rows.put("crm.contacts", Map.of("req-1", 2L));

        TargetOutcome outcome = executor.execute(twoRequests());

        assertThat(deleter.schemasAsked).containsExactly(List.of("crm"));
        assertThat(deleter.deletedFrom).containsExactly("analytics.tracks", "crm.contacts");
        assertThat(deleter.plans.get(0).batches()).hasSize(3);
        assertThat(deleter.plans.get(0).column()).isEqualTo("user_id");
        assertThat(outcome).isEqualTo(new TargetOutcome.Done(Map.of(
                "req-1", Map.of("rows_deleted", 7L, "tables", Map.of("analytics.tracks", 5L, "crm.contacts", 2L)),
                "req-2", Map.of("rows_deleted", 1L, "tables", Map.of("analytics.tracks", 1L, "crm.contacts", 0L)))));
    }

    @Test
    void shouldNotAskForDiscovery_whenNoSchemaIsConfigured() {
        TargetOutcome outcome = executor.execute(work("\"tables\": [\"t\"], \"columns\": {\"USER_ID\": \"user_id\"}",
                RequestType.SUPPRESS_WITH_DELETE, SubjectType.USER_ID, Map.of("req-1", List.of("u-1"))));

        assertThat(deleter.schemasAsked).isEmpty();
        assertThat(outcome).isEqualTo(new TargetOutcome.Done(Map.of(
                "req-1", Map.of("rows_deleted", 0L, "tables", Map.of("t", 0L)))));
    }

    @Test
    void shouldReportSkippedIds_andNotCallTheDatabase_whenNoIdCanMatch() {
        TargetOutcome outcome = executor.execute(work(ENTRY, RequestType.DELETE, SubjectType.USER_ID,
                Map.of("req-1", List.of("", "a\0b"))));

        assertThat(deleter.deletedFrom).isEmpty();
        assertThat(((TargetOutcome.Done) outcome).evidenceByRequest().get("req-1"))
                .containsEntry("rows_deleted", 0L).containsEntry("ids_skipped", 2);
    }

    @Test
    void shouldBeNotSupported_whenTheRequestTypeDoesNotDelete() {
        TargetOutcome outcome = executor.execute(work(ENTRY, RequestType.SUPPRESS, SubjectType.USER_ID,
                Map.of("req-1", List.of("u-1"))));

        assertThat(outcome).isInstanceOf(TargetOutcome.NotSupported.class);
        assertThat(deleter.deletedFrom).isEmpty();
    }

    @Test
    void shouldBeNotSupported_whenTheSubjectTypeHasNoColumn() {
        TargetOutcome outcome = executor.execute(work(ENTRY, RequestType.DELETE, SubjectType.EMAIL,
                Map.of("req-1", List.of("a@example.com"))));

        assertThat(outcome).isEqualTo(new TargetOutcome.NotSupported("target warehouse has no column for EMAIL"));
        assertThat(deleter.schemasAsked).isEmpty();
    }

    @Test
    void shouldFailNamingTheField_whenTheConfigurationIsWrong() {
        TargetOutcome outcome = executor.execute(work("\"tables\": [\"t\"], \"columns\": {\"USER_ID\": \"u\"}, "
                + "\"batch\": 3", RequestType.DELETE, SubjectType.USER_ID, Map.of("req-1", List.of("u-1"))));

        assertThat(outcome).isInstanceOf(TargetOutcome.Failed.class);
        assertThat(((TargetOutcome.Failed) outcome).error()).contains("targets[warehouse].batch");
    }

    @Test
    void shouldFailNamingTheTable_whenAConfiguredTableIsMissing() {
        deleter.failures.put("analytics.tracks", new WarehouseDeletionException(Kind.MISSING_TABLE, "SQLSTATE 42P01"));

        TargetOutcome outcome = executor.execute(twoRequests());

        assertThat(outcome).isEqualTo(new TargetOutcome.Failed("table analytics.tracks does not exist"));
    }

    @Test
    void shouldLeaveOutADiscoveredTable_thatWasDroppedSinceDiscovery() {
        deleter.failures.put("crm.contacts", new WarehouseDeletionException(Kind.MISSING_TABLE, "gone"));
        deleter.rows.put("analytics.tracks", Map.of("req-1", 1L));

        TargetOutcome outcome = executor.execute(twoRequests());

        assertThat(((TargetOutcome.Done) outcome).evidenceByRequest().get("req-1"))
                .isEqualTo(Map.of("rows_deleted", 1L, "tables", Map.of("analytics.tracks", 1L)));
    }

    @Test
    void shouldRetry_whenTheDatabaseFailsForNow() {
        deleter.failures.put("crm.contacts", new WarehouseDeletionException(Kind.TRANSIENT,
                "table crm.contacts: serialization failure (SQLSTATE 40001)"));

        TargetOutcome outcome = executor.execute(twoRequests());

        assertThat(outcome).isEqualTo(new TargetOutcome.Retry("table crm.contacts: serialization failure "
                + "(SQLSTATE 40001)", Optional.empty()));
    }

    @Test
    void shouldFail_whenTheDatabaseFailsForGood() {
        deleter.failures.put("analytics.tracks", new WarehouseDeletionException(Kind.PERMANENT,
                "table analytics.tracks: permission denied (SQLSTATE 42501)"));

        TargetOutcome outcome = executor.execute(twoRequests());

        assertThat(outcome).isEqualTo(new TargetOutcome.Failed("table analytics.tracks: permission denied "
                + "(SQLSTATE 42501)"));
        assertThat(deleter.deletedFrom).containsExactly("analytics.tracks");
    }

    @Test
    void shouldRetry_whenDiscoveryFailsForNow() {
        deleter.discoveryFailure = new WarehouseDeletionException(Kind.TRANSIENT, "discovery: connection failed");

        assertThat(executor.execute(twoRequests())).isInstanceOf(TargetOutcome.Retry.class);
        assertThat(deleter.deletedFrom).isEmpty();
    }

    @Test
    void shouldSucceedWithNoTables_whenDiscoveryFindsNoneAndNoneIsConfigured() {
        deleter.discovered = List.of();

        TargetOutcome outcome = executor.execute(work("\"schemas\": [\"crm\"], \"columns\": {\"USER_ID\": \"u\"}",
                RequestType.DELETE, SubjectType.USER_ID, Map.of("req-1", List.of("u-1"))));

        assertThat(outcome).isEqualTo(new TargetOutcome.Done(Map.of("req-1", Map.of("rows_deleted", 0L,
                "tables", Map.of()))));
    }

    @Test
    void shouldBeTheExecutorOfWarehouseTargets() {
        assertThat(executor.kind()).isEqualTo(TargetKind.WAREHOUSE);
    }
}
