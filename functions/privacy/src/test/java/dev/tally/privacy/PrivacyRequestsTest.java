package dev.tally.privacy;

import dev.tally.privacy.PrivacyFixtures.MutableClock;
import dev.tally.privacy.PrivacyFixtures.RecordingCodeSender;
import dev.tally.privacy.PrivacyFixtures.RecordingQueue;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.tally.privacy.PrivacyFixtures.ADMIN;
import static dev.tally.privacy.PrivacyFixtures.endUser;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrivacyRequestsTest {
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    private static final String CONFIG = """
            {"targets": [
              {"name": "archive", "kind": "S3_ARCHIVE", "bucket": "events", "prefixes": ["raw/"]},
              {"name": "warehouse", "kind": "WAREHOUSE", "tables": ["analytics.tracks"]},
              {"name": "crm", "kind": "WEBHOOK", "url": "https://crm.example/delete",
               "request_types": ["DELETE", "SUPPRESS", "UNSUPPRESS"]}],
             "due_days": {"CCPA": 40}}""";

    private final MutableClock clock = new MutableClock(START);
    private final InMemoryPrivacyStore store = new InMemoryPrivacyStore();
    private final RecordingCodeSender codes = new RecordingCodeSender();
    private final RecordingQueue queue = new RecordingQueue();
    private final PrivacyRequests requests = new PrivacyRequests(store, codes, queue, PrivacyFixtures.keys(),
            PrivacyConfig.parse(CONFIG), PrivacyRequests.Settings.DEFAULT, clock, new SecureRandom());
    private final Caller alice = endUser("user-alice", "Alice@Example.com");

    private static NewRequest delete(SubjectType type, String... ids) {
        return new NewRequest(RequestType.DELETE, type, List.of(ids), Optional.empty(), Regulation.GDPR,
                Optional.empty());
    }

    @Test
    void shouldQueueAndHandOver_whenAdminCreates_withReceiptsPerTargetAndDueDate() {
        PrivacyRequests.Created created = requests.create(ADMIN, delete(SubjectType.USER_ID, "u-1", "u-2"),
                Optional.empty());

        PrivacyRequest request = created.request();
        assertThat(created.created()).isTrue();
        assertThat(request.status()).isEqualTo(RequestStatus.QUEUED);
        assertThat(request.handedOver()).isTrue();
        assertThat(queue.enqueued).containsExactly(request.id());
        assertThat(request.requestedBy()).isEqualTo(ADMIN.principal());
        assertThat(request.subjectCount()).isEqualTo(2);
        assertThat(request.dueAt()).isEqualTo(START.plus(Duration.ofDays(30)));
        assertThat(request.receipts()).extracting(Receipt::target, Receipt::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("archive", ReceiptStatus.PENDING),
                org.assertj.core.groups.Tuple.tuple("warehouse", ReceiptStatus.PENDING),
                org.assertj.core.groups.Tuple.tuple("crm", ReceiptStatus.PENDING));
        assertThat(requests.subjects().open(request.id())).containsExactly("u-1", "u-2");
        assertThat(codes.sent).isEmpty();
    }

    @Test
    void shouldMarkReceiptsNotSupported_whenTargetDoesNotCarryOutTheType_andUseConfiguredDueDays() {
        NewRequest suppress = new NewRequest(RequestType.SUPPRESS, SubjectType.EMAIL, List.of("x@example.com"),
                Optional.empty(), Regulation.CCPA, Optional.of(List.of("archive", "crm")));

        PrivacyRequest request = requests.create(ADMIN, suppress, Optional.empty()).request();

        assertThat(request.receipts()).extracting(Receipt::target, Receipt::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("archive", ReceiptStatus.NOT_SUPPORTED),
                org.assertj.core.groups.Tuple.tuple("crm", ReceiptStatus.PENDING));
        assertThat(request.dueAt()).isEqualTo(START.plus(Duration.ofDays(40)));
    }

    @Test
    void shouldRejectUnknownOrRepeatedTargets() {
        NewRequest unknown = new NewRequest(RequestType.DELETE, SubjectType.USER_ID, List.of("u"), Optional.empty(),
                Regulation.GDPR, Optional.of(List.of("nowhere")));
        NewRequest twice = new NewRequest(RequestType.DELETE, SubjectType.USER_ID, List.of("u"), Optional.empty(),
                Regulation.GDPR, Optional.of(List.of("crm", "crm")));

        assertThatThrownBy(() -> requests.create(ADMIN, unknown, Optional.empty()))
                .isInstanceOfSatisfying(PrivacyException.class, e -> assertThat(e.field()).isEqualTo("targets"));
        assertThatThrownBy(() -> requests.create(ADMIN, twice, Optional.empty()))
                .isInstanceOfSatisfying(PrivacyException.class, e -> assertThat(e.field()).isEqualTo("targets"));
        assertThat(store.openRequests()).isEmpty();
    }

    @Test
    void shouldForbid_whenEndUserNamesSomeoneElse_orMoreThanThemselves() {
        assertThatThrownBy(() -> requests.create(alice, delete(SubjectType.USER_ID, "user-bob"), Optional.empty()))
                .isInstanceOfSatisfying(PrivacyException.class,
                        e -> assertThat(e.error()).isEqualTo(PrivacyError.FORBIDDEN));
        assertThatThrownBy(() -> requests.create(alice, delete(SubjectType.USER_ID, "user-alice", "user-bob"),
                Optional.empty())).isInstanceOf(PrivacyException.class);
        assertThatThrownBy(() -> requests.create(endUser("user-carol", null), delete(SubjectType.USER_ID,
                "user-carol"), Optional.empty())).isInstanceOfSatisfying(PrivacyException.class,
                e -> assertThat(e.error()).isEqualTo(PrivacyError.FORBIDDEN));
        assertThat(store.openRequests()).isEmpty();
        assertThat(codes.sent).isEmpty();
    }

    @Test
    void shouldAwaitConfirmation_andSendCodeToTheCallersEmail_whenEndUserNamesThemselves() {
        PrivacyRequest request = requests.create(alice, delete(SubjectType.EMAIL, "alice@example.COM"),
                Optional.empty()).request();

        assertThat(request.status()).isEqualTo(RequestStatus.AWAITING_CONFIRMATION);
        assertThat(request.requestedBy()).isEqualTo(PrivacyRequest.END_USER);
        assertThat(queue.enqueued).isEmpty();
        assertThat(codes.sent).singleElement().satisfies(sent -> {
            assertThat(sent.recipient()).isEqualTo("Alice@Example.com");
            assertThat(sent.code()).matches("[0-9]{6}");
            assertThat(sent.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(15)));
        });
        assertThat(store.code(request.id()).orElseThrow().codeHash()).doesNotContain(codes.codeOf(request.id()));
    }

    @Test
    void shouldQueue_whenRightCodeConfirms_andAnswerTheSameOnARetry() {
        String id = requests.create(alice, delete(SubjectType.USER_ID, "user-alice"), Optional.empty()).request().id();
        String code = codes.codeOf(id);

        PrivacyRequest confirmed = requests.confirm(alice, id, code);
        PrivacyRequest again = requests.confirm(alice, id, code);

        assertThat(confirmed.status()).isEqualTo(RequestStatus.QUEUED);
        assertThat(queue.enqueued).containsExactly(id);
        assertThat(again.status()).isEqualTo(RequestStatus.QUEUED);
        assertThat(queue.enqueued).containsExactly(id);
    }

    @Test
    void shouldRefuseWrongCodes_thenLockAndFailOnTheFifth_andForgetTheSubjects() {
        String id = requests.create(alice, delete(SubjectType.USER_ID, "user-alice"), Optional.empty()).request().id();
        String wrong = codes.codeOf(id).equals("000000") ? "000001" : "000000";

        for (int i = 1; i <= 4; i++) {
            assertThatThrownBy(() -> requests.confirm(alice, id, wrong)).isInstanceOfSatisfying(
                    PrivacyException.class, e -> {
                        assertThat(e.error()).isEqualTo(PrivacyError.INVALID_FIELD);
                        assertThat(e.field()).isEqualTo("code");
                    });
        }
        assertThatThrownBy(() -> requests.confirm(alice, id, wrong)).isInstanceOfSatisfying(PrivacyException.class,
                e -> assertThat(e.error()).isEqualTo(PrivacyError.LOCKED));
        assertThatThrownBy(() -> requests.confirm(alice, id, codes.codeOf(id))).isInstanceOfSatisfying(
                PrivacyException.class, e -> assertThat(e.error()).isEqualTo(PrivacyError.LOCKED));

        PrivacyRequest failed = requests.get(alice, id);
        assertThat(failed.status()).isEqualTo(RequestStatus.FAILED);
        assertThat(failed.failureReason()).isEqualTo(PrivacyRequests.CONFIRMATION_FAILED);
        assertThat(failed.finishedAt()).isEqualTo(START);
        assertThat(store.subjects(id).orElseThrow().form()).isEqualTo(StoredSubjects.Form.HASHED);
        assertThat(queue.enqueued).isEmpty();
    }

    @Test
    void shouldLockAndFail_whenTheCodeHasExpired() {
        String id = requests.create(alice, delete(SubjectType.USER_ID, "user-alice"), Optional.empty()).request().id();
        clock.advance(Duration.ofMinutes(15));

        assertThatThrownBy(() -> requests.confirm(alice, id, codes.codeOf(id))).isInstanceOfSatisfying(
                PrivacyException.class, e -> assertThat(e.error()).isEqualTo(PrivacyError.LOCKED));
        assertThat(requests.get(alice, id).status()).isEqualTo(RequestStatus.FAILED);
    }

    @Test
    void shouldHideRequests_fromOtherEndUsers_butNotFromAdmins() {
        String id = requests.create(alice, delete(SubjectType.USER_ID, "user-alice"), Optional.empty()).request().id();
        Caller bob = endUser("user-bob", "bob@example.com");

        assertThatThrownBy(() -> requests.get(bob, id)).isInstanceOfSatisfying(PrivacyException.class,
                e -> assertThat(e.error()).isEqualTo(PrivacyError.NOT_FOUND));
        assertThatThrownBy(() -> requests.confirm(bob, id, codes.codeOf(id))).isInstanceOf(PrivacyException.class);
        assertThatThrownBy(() -> requests.cancel(bob, id)).isInstanceOf(PrivacyException.class);
        assertThat(requests.get(ADMIN, id).id()).isEqualTo(id);
    }

    @Test
    void shouldReturnTheSameRequest_forARepeatedKey_andConflict_forADifferentBody() {
        PrivacyRequests.Created first = requests.create(ADMIN, delete(SubjectType.USER_ID, "u-1"), Optional.of("k-1"));
        PrivacyRequests.Created again = requests.create(ADMIN, delete(SubjectType.USER_ID, "u-1"), Optional.of("k-1"));

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.request().id()).isEqualTo(first.request().id());
        assertThatThrownBy(() -> requests.create(ADMIN, delete(SubjectType.USER_ID, "u-2"), Optional.of("k-1")))
                .isInstanceOfSatisfying(PrivacyException.class,
                        e -> assertThat(e.error()).isEqualTo(PrivacyError.CONFLICT));
        Caller otherAdmin = new Caller(Caller.Role.ADMIN, Caller.Authentication.JWT, "ops-bot", Optional.empty());
        assertThat(requests.create(otherAdmin, delete(SubjectType.USER_ID, "u-2"), Optional.of("k-1")).created())
                .as("keys are scoped to the caller").isTrue();
    }

    @Test
    void shouldCreateOneRequest_whenTwentyIdenticalCallsRace() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            Callable<String> call = () -> requests.create(alice, delete(SubjectType.USER_ID, "user-alice"),
                    Optional.of("same-key")).request().id();
            List<Future<String>> futures = pool.invokeAll(IntStream.range(0, 20).mapToObj(i -> call).toList());
            Set<String> ids = futures.stream().map(f -> {
                try {
                    return f.get();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).collect(Collectors.toSet());

            assertThat(ids).hasSize(1);
            assertThat(store.openRequests()).hasSize(1);
            assertThat(codes.sent).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldCancelBeforeProcessing_andConflictAfter() {
        String id = requests.create(ADMIN, delete(SubjectType.USER_ID, "u-1"), Optional.empty()).request().id();

        assertThat(requests.cancel(ADMIN, id).status()).isEqualTo(RequestStatus.CANCELLED);
        assertThat(store.subjects(id).orElseThrow().form()).isEqualTo(StoredSubjects.Form.HASHED);
        assertThat(requests.cancel(ADMIN, id).status()).as("cancelling twice").isEqualTo(RequestStatus.CANCELLED);

        String running = requests.create(ADMIN, delete(SubjectType.USER_ID, "u-2"), Optional.empty()).request().id();
        store.transition(running, Set.of(RequestStatus.QUEUED), RequestStatus.RUNNING, START, null);
        assertThatThrownBy(() -> requests.cancel(ADMIN, running)).isInstanceOfSatisfying(PrivacyException.class,
                e -> assertThat(e.error()).isEqualTo(PrivacyError.CONFLICT));
    }

    @Test
    void shouldSuppressAtOnce_andUnsuppress_andCheckOnlyForAdmins() {
        NewRequest suppress = new NewRequest(RequestType.SUPPRESS_WITH_DELETE, SubjectType.EMAIL,
                List.of("Someone@Example.com"), Optional.empty(), Regulation.GDPR, Optional.empty());
        NewRequest unsuppress = new NewRequest(RequestType.UNSUPPRESS, SubjectType.EMAIL,
                List.of("someone@example.com"), Optional.empty(), Regulation.GDPR, Optional.empty());

        requests.create(ADMIN, suppress, Optional.empty());
        Optional<Instant> since = requests.suppressedSince(ADMIN, SubjectType.EMAIL, "someone@example.com");
        clock.advance(Duration.ofHours(1));
        requests.create(ADMIN, unsuppress, Optional.empty());

        assertThat(since).contains(START);
        assertThat(requests.suppressedSince(ADMIN, SubjectType.USER_ID, "someone@example.com")).isEmpty();
        assertThat(requests.suppressedSince(ADMIN, SubjectType.EMAIL, "someone@example.com")).isEmpty();
        assertThatThrownBy(() -> requests.suppressedSince(alice, SubjectType.EMAIL, "x@example.com"))
                .isInstanceOfSatisfying(PrivacyException.class,
                        e -> assertThat(e.error()).isEqualTo(PrivacyError.FORBIDDEN));
    }

    @Test
    void shouldSuppressOnlyOnceConfirmed_forAnEndUser() {
        NewRequest suppress = new NewRequest(RequestType.SUPPRESS, SubjectType.USER_ID, List.of("user-alice"),
                Optional.empty(), Regulation.GDPR, Optional.empty());
        String id = requests.create(alice, suppress, Optional.empty()).request().id();
        assertThat(requests.suppressedSince(ADMIN, SubjectType.USER_ID, "user-alice")).isEmpty();

        requests.confirm(alice, id, codes.codeOf(id));

        assertThat(requests.suppressedSince(ADMIN, SubjectType.USER_ID, "user-alice")).isPresent();
    }

    @Test
    void shouldRefuseToCreate_whenTheCodeCannotBeSent_andLetTheSameKeyRetry() {
        codes.down.set(true);
        assertThatThrownBy(() -> requests.create(alice, delete(SubjectType.USER_ID, "user-alice"),
                Optional.of("retry-me"))).isInstanceOfSatisfying(PrivacyException.class,
                e -> assertThat(e.error()).isEqualTo(PrivacyError.UNAVAILABLE));
        codes.down.set(false);

        PrivacyRequests.Created retried = requests.create(alice, delete(SubjectType.USER_ID, "user-alice"),
                Optional.of("retry-me"));

        assertThat(retried.created()).isTrue();
        assertThat(codes.sent).hasSize(1);
    }

    @Test
    void shouldHandOverAgain_failLapsedConfirmations_andCountOverdue_inTheSweep() {
        queue.down.set(true);
        PrivacyRequest missed = requests.create(ADMIN, delete(SubjectType.USER_ID, "u-1"), Optional.empty()).request();
        queue.down.set(false);
        String lapsed = requests.create(alice, delete(SubjectType.USER_ID, "user-alice"), Optional.empty())
                .request().id();
        assertThat(missed.handedOver()).isFalse();

        clock.advance(Duration.ofMinutes(20));
        PrivacyRequests.Sweep first = requests.sweep();
        clock.advance(Duration.ofDays(31));
        PrivacyRequests.Sweep later = requests.sweep();

        assertThat(first).isEqualTo(new PrivacyRequests.Sweep(2, 0, 1, 1));
        assertThat(queue.enqueued).containsExactly(missed.id());
        assertThat(requests.get(ADMIN, lapsed).status()).isEqualTo(RequestStatus.FAILED);
        assertThat(later).isEqualTo(new PrivacyRequests.Sweep(1, 1, 0, 0));
    }
}
