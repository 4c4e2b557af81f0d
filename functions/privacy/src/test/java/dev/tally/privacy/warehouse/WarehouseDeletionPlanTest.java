package dev.tally.privacy.warehouse;

import dev.tally.privacy.SubjectType;
import dev.tally.privacy.warehouse.WarehouseDeletionPlan.Batch;
import dev.tally.privacy.warehouse.WarehouseDeletionPlan.Match;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class WarehouseDeletionPlanTest {
    private static final List<String> TABLES = List.of("analytics.tracks", "pages");

    @Test
    void shouldCutEachRequestsIdsIntoBatchesOfAtMostTheBatchSize_requestsInIdOrder() {
        List<String> many = IntStream.range(0, 7).mapToObj(i -> "u-" + i).toList();

        WarehouseDeletionPlan plan = WarehouseDeletionPlan.of(TABLES, "user_id", SubjectType.USER_ID,
                Map.of("req-b", List.of("x"), "req-a", many), 3);

        assertThat(plan.batches()).containsExactly(
                new Batch("req-a", List.of("u-0", "u-1", "u-2")),
                new Batch("req-a", List.of("u-3", "u-4", "u-5")),
                new Batch("req-a", List.of("u-6")),
                new Batch("req-b", List.of("x")));
        assertThat(plan.requestIds()).containsExactly("req-a", "req-b");
        assertThat(plan.match()).isEqualTo(Match.EXACT);
        assertThat(plan.idCount()).isEqualTo(8);
    }

    @Test
    void shouldLowerCaseTrimAndDeduplicateEmails_comparedWithoutCase() {
        WarehouseDeletionPlan plan = WarehouseDeletionPlan.of(TABLES, "email", SubjectType.EMAIL,
                Map.of("req-1", List.of("Ann@Example.COM", " ann@example.com ", "bob@example.com")), 1000);

        assertThat(plan.match()).isEqualTo(Match.LOWER_CASE);
        assertThat(plan.batches()).containsExactly(new Batch("req-1", List.of("ann@example.com", "bob@example.com")));
    }

    @Test
    void shouldKeepUserIdsExactly_caseAndSpacesIncluded() {
        WarehouseDeletionPlan plan = WarehouseDeletionPlan.of(TABLES, "user_id", SubjectType.USER_ID,
                Map.of("req-1", List.of("U-1", "u-1", " u-1")), 1000);

        assertThat(plan.batches()).containsExactly(new Batch("req-1", List.of("U-1", "u-1", " u-1")));
    }

    @Test
    void shouldLeaveOutAndCountIdsThatCanMatchNoRow_emptyOnesAndOnesWithNul() {
        WarehouseDeletionPlan plan = WarehouseDeletionPlan.of(TABLES, "email", SubjectType.EMAIL,
                Map.of("req-1", List.of("   ", "a\0b@example.com", "c@example.com"), "req-2", List.of("\0")), 1000);

        assertThat(plan.batches()).containsExactly(new Batch("req-1", List.of("c@example.com")));
        assertThat(plan.skippedIds("req-1")).isEqualTo(2);
        assertThat(plan.skippedIds("req-2")).isEqualTo(1);
        assertThat(plan.requestIds()).containsExactly("req-1", "req-2");
    }

    @Test
    void shouldKeepASubjectInEveryRequestThatNamesIt() {
        WarehouseDeletionPlan plan = WarehouseDeletionPlan.of(TABLES, "user_id", SubjectType.USER_ID,
                Map.of("req-1", List.of("u-1"), "req-2", List.of("u-1", "u-2")), 1000);

        assertThat(plan.batches()).containsExactly(new Batch("req-1", List.of("u-1")),
                new Batch("req-2", List.of("u-1", "u-2")));
    }

    @Test
    void shouldNameTablesOnceAndSayNoIdInItsText() {
        WarehouseDeletionPlan plan = WarehouseDeletionPlan.of(List.of("t", "t", "s.u"), "user_id", SubjectType.USER_ID,
                Map.of("req-1", List.of("secret-subject")), 1000);

        assertThat(plan.tables()).containsExactly("t", "s.u");
        assertThat(plan.toString()).doesNotContain("secret-subject").contains("ids=1");
        assertThat(plan.batches().get(0).toString()).doesNotContain("secret-subject");
    }
}
