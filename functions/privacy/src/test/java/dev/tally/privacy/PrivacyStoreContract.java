package dev.tally.privacy;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link PrivacyStore} must do, run against each adapter ({@code InMemoryPrivacyStoreTest} here,
 * {@code DynamoDbPrivacyStoreIT} in the AWS module).
 *
 * <p>What "round-trips exactly" means here, so that every adapter can be held to it:
 * <ul>
 *   <li><b>Instants</b> come back equal to the ones stored, to the nanosecond: the test instants carry nine
 *       fractional digits, and the ordering of {@link PrivacyStore#openRequests()} is checked on due dates that
 *       differ by less than a second (an adapter that sorted {@link Instant#toString()} as text would fail).</li>
 *   <li><b>Receipt evidence</b> holds the values of a JSON document: strings, booleans, numbers, lists and maps
 *       of those. Whole numbers are given and come back as {@link Long}, others as {@link BigDecimal}; a number
 *       of another Java type (an {@code Integer}) comes back with the same value, not necessarily the same
 *       type, so callers write {@code Long}/{@code BigDecimal} when they compare receipts.</li>
 *   <li><b>Subject parts</b> come back byte for byte, in order; a part is at most {@value #MAX_PART_BYTES}
 *       bytes (one store item each, StoredSubjects).</li>
 * </ul>
 * Every one-winner decision (taking a key, creating, transitioning, using a code, counting guesses) is raced
 * from {@value #RACERS} threads at once.
 */
public abstract class PrivacyStoreContract {
    /** The largest subject part a caller may store; what the sealer must split under. */
    protected static final int MAX_PART_BYTES = 300_000;
    protected static final int RACERS = 8;
    protected static final Instant RECEIVED = Instant.parse("2024-05-01T12:34:56.123456789Z");
    protected static final Instant DUE = RECEIVED.plus(Duration.ofDays(30));
    protected static final String OPERATOR = "arn:aws:sts::123456789012:assumed-role/privacy-ops/alice";
    private static final PrivacyKeys KEYS = PrivacyKeys.fromSecret("contract-secret-0123456789abcdefghijkl",
            new SecureRandom());

    /** A new, empty store; each call returns a store that shares nothing with earlier ones. */
    protected abstract PrivacyStore newStore();

    // ---- fixtures ---------------------------------------------------------------------------------------

    protected static List<Receipt> receipts() {
        return List.of(
                new Receipt("warehouse", TargetKind.WAREHOUSE, ReceiptStatus.IN_PROGRESS, 2, "statement timed out",
                        RECEIVED.plusMillis(1500).plusNanos(7), null,
                        Map.of("rows_deleted", 12L, "tables", Map.of("analytics.tracks", 9L, "analytics.pages", 3L))),
                new Receipt("archive", TargetKind.S3_ARCHIVE, ReceiptStatus.SUCCEEDED, 1, null,
                        RECEIVED.plusSeconds(60), RECEIVED.plusSeconds(61).plusNanos(999_999_999),
                        Map.of("objects_scanned", 4_000_000_000L, "bytes_scanned", 9_007_199_254_740_993L,
                                "objects_rewritten", 3L, "records_removed", 17L, "versions_deleted", 0L)),
                new Receipt("crm", TargetKind.WEBHOOK, ReceiptStatus.FAILED, 8, "HTTP 503 from destination",
                        RECEIVED.plusSeconds(5), RECEIVED.plusSeconds(3600),
                        Map.of("calls", 8L, "job_ids", List.of("job-1", "job-2"), "last_status_code", 503L,
                                "backoff_factor", new BigDecimal("1.25"), "async", true,
                                "history", List.of(Map.of("status", 500L), Map.of("status", 503L)))),
                new Receipt("ads", TargetKind.WEBHOOK, ReceiptStatus.NOT_SUPPORTED, 0, null, null, null, Map.of()));
    }

    protected static PrivacyRequest request(String id, RequestStatus status, Instant due) {
        return new PrivacyRequest(id, status, RequestType.SUPPRESS_WITH_DELETE, SubjectType.EMAIL, 2,
                Regulation.CCPA, RECEIVED, due, null, OPERATOR, "owner-" + KEYS.hash("owner", id),
                "fingerprint-" + KEYS.hash("fp", id), null, false, RECEIVED, receipts());
    }

    protected static PrivacyRequest request(String id) {
        return request(id, RequestStatus.AWAITING_CONFIRMATION, DUE);
    }

    protected static ConfirmationCode code(String requestId) {
        return new ConfirmationCode(requestId, ConfirmationCode.hash(KEYS, requestId, "042317"),
                RECEIVED.plus(Duration.ofMinutes(15)), 0, false);
    }

    /** Subject ids as the API stores them: one per line, split into parts, each part sealed for the request. */
    protected static StoredSubjects sealed(String requestId, List<String> ids) {
        int overhead = KEYS.seal(new byte[0], requestId).length;
        List<byte[]> parts = new ArrayList<>();
        for (byte[] plain : lines(ids, MAX_PART_BYTES - overhead)) {
            parts.add(KEYS.seal(plain, requestId));
        }
        return new StoredSubjects(StoredSubjects.Form.SEALED, parts);
    }

    /** The same subjects as keyed hashes, as they are kept once the request is finished. */
    protected static StoredSubjects hashed(SubjectType type, List<String> ids, int maxPartBytes) {
        return new StoredSubjects(StoredSubjects.Form.HASHED,
                lines(ids.stream().map(id -> KEYS.subjectHash(type, id)).toList(), maxPartBytes));
    }

    protected static StoredSubjects smallSubjects(String requestId) {
        return sealed(requestId, List.of("ana@example.com", "bo@example.com"));
    }

    /** {@code count} ids of {@code length} characters, the same for the same seed. */
    protected static List<String> ids(int count, int length, long seed) {
        Random random = new Random(seed);
        return IntStream.range(0, count).mapToObj(i -> {
            StringBuilder id = new StringBuilder(length).append("user-").append(i).append('-');
            while (id.length() < length) {
                id.append((char) ('a' + random.nextInt(26)));
            }
            return id.toString();
        }).toList();
    }

    private static List<byte[]> lines(List<String> values, int maxPartBytes) {
        List<byte[]> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (String value : values) {
            if (part.length() > 0 && part.length() + value.length() + 1 > maxPartBytes) {
                parts.add(part.toString().getBytes(StandardCharsets.UTF_8));
                part.setLength(0);
            }
            part.append(value).append('\n');
        }
        if (part.length() > 0) {
            parts.add(part.toString().getBytes(StandardCharsets.UTF_8));
        }
        return parts;
    }

    protected static void assertSameSubjects(Optional<StoredSubjects> actual, StoredSubjects expected) {
        assertThat(actual).isPresent();
        assertThat(actual.get().form()).isEqualTo(expected.form());
        assertThat(actual.get().parts()).hasSameSizeAs(expected.parts());
        for (int i = 0; i < expected.parts().size(); i++) {
            assertThat(actual.get().parts().get(i)).as("part %d", i).isEqualTo(expected.parts().get(i));
        }
    }

    /** Runs {@value #RACERS} calls released at the same instant, and returns their results in order. */
    protected static <T> List<T> race(IntFunction<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Callable<T>> calls = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                int racer = i;
                calls.add(() -> {
                    start.await();
                    return call.apply(racer);
                });
            }
            List<Future<T>> futures = calls.stream().map(pool::submit).toList();
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static IdempotencyRecord key(String keyHash, String requestId, Instant createdAt) {
        return new IdempotencyRecord(keyHash, requestId, "fingerprint-of-" + requestId, createdAt,
                createdAt.plus(Duration.ofDays(1)));
    }

    // ---- idempotency keys -------------------------------------------------------------------------------

    @Test
    void shouldTakeAFreeKey_andGiveTheHolderToLaterTakers() {
        PrivacyStore store = newStore();
        IdempotencyRecord first = key("k-1", "req-1", RECEIVED);

        IdempotencyRecord taken = store.takeIdempotencyKey(first);
        IdempotencyRecord retry = store.takeIdempotencyKey(key("k-1", "req-2", RECEIVED.plusSeconds(1)));

        assertThat(taken).isEqualTo(first);
        assertThat(retry).isEqualTo(first);
        assertThat(store.idempotencyKey("k-1")).contains(first);
        assertThat(store.idempotencyKey("k-2")).isEmpty();
        assertThat(store.takeIdempotencyKey(key("k-2", "req-3", RECEIVED))).extracting(IdempotencyRecord::requestId)
                .isEqualTo("req-3");
    }

    @Test
    void shouldGiveAKeyToOneTaker_whenManyTakeItAtOnce() throws Exception {
        PrivacyStore store = newStore();

        List<IdempotencyRecord> results = race(i -> store.takeIdempotencyKey(key("k-race", "req-" + i, RECEIVED)));

        assertThat(new HashSet<>(results)).hasSize(1);
        assertThat(results.get(0).requestId()).startsWith("req-");
        assertThat(store.idempotencyKey("k-race")).contains(results.get(0));
    }

    @Test
    void shouldReplaceAStaleKey_onlyWhileItIsStillHeldAsThatRecord() {
        PrivacyStore store = newStore();
        IdempotencyRecord stale = store.takeIdempotencyKey(key("k-1", "req-dead", RECEIVED));
        IdempotencyRecord replacement = key("k-1", "req-new", RECEIVED.plus(Duration.ofMinutes(5)));

        boolean otherCreatedAt = store.replaceIdempotencyKey(key("k-1", "req-dead", RECEIVED.plusNanos(1)),
                key("k-1", "req-x", RECEIVED));
        boolean otherRequest = store.replaceIdempotencyKey(key("k-1", "req-other", RECEIVED),
                key("k-1", "req-x", RECEIVED));
        boolean replaced = store.replaceIdempotencyKey(stale, replacement);
        boolean again = store.replaceIdempotencyKey(stale, key("k-1", "req-late", RECEIVED));
        boolean free = store.replaceIdempotencyKey(key("k-free", "req-dead", RECEIVED),
                key("k-free", "req-new", RECEIVED));

        assertThat(otherCreatedAt).isFalse();
        assertThat(otherRequest).isFalse();
        assertThat(replaced).isTrue();
        assertThat(again).isFalse();
        assertThat(store.idempotencyKey("k-1")).contains(replacement);
        assertThat(free).isFalse();
        assertThat(store.idempotencyKey("k-free")).isEmpty();
    }

    @Test
    void shouldLetOneOfManyTakeOverTheSameStaleKey() throws Exception {
        PrivacyStore store = newStore();
        IdempotencyRecord stale = store.takeIdempotencyKey(key("k-stale", "req-dead", RECEIVED));

        List<Boolean> won = race(i -> store.replaceIdempotencyKey(stale,
                key("k-stale", "req-" + i, RECEIVED.plusSeconds(60 + i))));

        assertThat(won).containsOnlyOnce(true);
        int winner = won.indexOf(true);
        assertThat(store.idempotencyKey("k-stale"))
                .contains(key("k-stale", "req-" + winner, RECEIVED.plusSeconds(60 + winner)));
    }

    // ---- requests -----------------------------------------------------------------------------------------

    @Test
    void shouldCreateARequest_andReadItBackExactly_withItsReceiptsInOrder() {
        PrivacyStore store = newStore();
        PrivacyRequest created = new PrivacyRequest("req-1", RequestStatus.AWAITING_CONFIRMATION,
                RequestType.SUPPRESS_WITH_DELETE, SubjectType.EMAIL, 2, Regulation.CCPA, RECEIVED,
                RECEIVED.plus(Duration.ofDays(45)).plusNanos(1), null, PrivacyRequest.END_USER, "owner-hash",
                "fingerprint-hash", null, false, RECEIVED.plusNanos(10), receipts());
        StoredSubjects subjects = smallSubjects("req-1");

        boolean stored = store.create(created, subjects, Optional.of(code("req-1")));

        assertThat(stored).isTrue();
        assertThat(store.request("req-1")).contains(created);
        assertThat(store.request("req-1").orElseThrow().receipts()).extracting(Receipt::target)
                .containsExactly("warehouse", "archive", "crm", "ads");
        assertThat(store.request("req-1").orElseThrow().receipts().get(1).evidence().get("bytes_scanned"))
                .isEqualTo(9_007_199_254_740_993L);
        assertSameSubjects(store.subjects("req-1"), subjects);
        assertThat(store.code("req-1")).contains(code("req-1"));
    }

    @Test
    void shouldKeepEveryField_ofAFinishedRequestWithAllOptionalFieldsSet() {
        PrivacyStore store = newStore();
        PrivacyRequest finished = new PrivacyRequest("req-full", RequestStatus.FAILED, RequestType.UNSUPPRESS,
                SubjectType.USER_ID, 5000, Regulation.GDPR, RECEIVED, DUE, RECEIVED.plusSeconds(90).plusNanos(1),
                OPERATOR, "owner-hash", "fingerprint-hash", "CONFIRMATION_FAILED", true,
                RECEIVED.plusSeconds(90).plusNanos(1), List.of());

        store.create(finished, new StoredSubjects(StoredSubjects.Form.HASHED, List.of()), Optional.empty());

        assertThat(store.request("req-full")).contains(finished);
        assertThat(store.code("req-full")).isEmpty();
        assertSameSubjects(store.subjects("req-full"), new StoredSubjects(StoredSubjects.Form.HASHED, List.of()));
    }

    @Test
    void shouldKeepTheValueOfEvidenceNumbers_ofOtherJavaTypes() {
        PrivacyStore store = newStore();
        Receipt receipt = new Receipt("warehouse", TargetKind.WAREHOUSE, ReceiptStatus.SUCCEEDED, 1, null,
                RECEIVED, RECEIVED, Map.of("rows_deleted", 7, "ratio", new BigDecimal("0.5")));

        store.create(request("req-int").withReceipts(List.of(receipt)), smallSubjects("req-int"), Optional.empty());

        Map<String, Object> evidence = store.request("req-int").orElseThrow().receipts().get(0).evidence();
        assertThat(((Number) evidence.get("rows_deleted")).longValue()).isEqualTo(7L);
        assertThat(new BigDecimal(evidence.get("ratio").toString())).isEqualByComparingTo("0.5");
    }

    @Test
    void shouldNotCreateARequestTwice_andLeaveTheFirstUnchanged() {
        PrivacyStore store = newStore();
        PrivacyRequest first = request("req-1");
        StoredSubjects firstSubjects = smallSubjects("req-1");
        store.create(first, firstSubjects, Optional.of(code("req-1")));
        PrivacyRequest second = new PrivacyRequest("req-1", RequestStatus.QUEUED, RequestType.DELETE,
                SubjectType.USER_ID, 1, Regulation.GDPR, RECEIVED.plusSeconds(1), DUE.plusSeconds(1), null, OPERATOR,
                "other-owner", "other-fingerprint", null, false, RECEIVED.plusSeconds(1),
                List.of(new Receipt("archive", TargetKind.S3_ARCHIVE, ReceiptStatus.PENDING, 0, null, null, null,
                        Map.of())));

        boolean again = store.create(second, sealed("req-1", ids(3, 40, 9)),
                Optional.of(new ConfirmationCode("req-1", "other-hash", RECEIVED, 4, true)));

        assertThat(again).isFalse();
        assertThat(store.request("req-1")).contains(first);
        assertSameSubjects(store.subjects("req-1"), firstSubjects);
        assertThat(store.code("req-1")).contains(code("req-1"));
    }

    @Test
    void shouldCreateARequestOnce_whenManyCreateItAtOnce() throws Exception {
        PrivacyStore store = newStore();
        List<PrivacyRequest> candidates = IntStream.range(0, RACERS).mapToObj(i -> new PrivacyRequest("req-race",
                RequestStatus.QUEUED, RequestType.DELETE, SubjectType.USER_ID, i + 1, Regulation.GDPR, RECEIVED,
                DUE.plusSeconds(i), null, OPERATOR, "owner-" + i, "fp-" + i, null, false, RECEIVED,
                List.of(new Receipt("target-" + i, TargetKind.WEBHOOK, ReceiptStatus.PENDING, 0, null, null, null,
                        Map.of())))).toList();
        List<StoredSubjects> subjects = IntStream.range(0, RACERS)
                .mapToObj(i -> sealed("req-race", ids(i + 1, 64, i))).toList();

        List<Boolean> created = race(i -> store.create(candidates.get(i), subjects.get(i),
                Optional.of(new ConfirmationCode("req-race", "hash-" + i, DUE, 0, false))));

        assertThat(created).containsOnlyOnce(true);
        int winner = created.indexOf(true);
        assertThat(store.request("req-race")).contains(candidates.get(winner));
        assertSameSubjects(store.subjects("req-race"), subjects.get(winner));
        assertThat(store.code("req-race")).map(ConfirmationCode::codeHash).contains("hash-" + winner);
        assertThat(store.openRequests()).containsExactly(candidates.get(winner));
    }

    @Test
    void shouldFindNothing_forAnUnknownRequest() {
        PrivacyStore store = newStore();
        store.create(request("req-1"), smallSubjects("req-1"), Optional.of(code("req-1")));

        assertThat(store.request("req-2")).isEmpty();
        assertThat(store.subjects("req-2")).isEmpty();
        assertThat(store.code("req-2")).isEmpty();
        assertThat(store.transition("req-2", EnumSet.allOf(RequestStatus.class), RequestStatus.CANCELLED,
                RECEIVED, null)).isEmpty();
        assertThat(store.countAttempt("req-2", 5)).isEmpty();
        assertThat(store.useCode("req-2")).isFalse();
        store.markHandedOver("req-2", RECEIVED);
        assertThat(store.request("req-2")).isEmpty();
    }

    // ---- status -------------------------------------------------------------------------------------------

    @Test
    void shouldTransitionOnlyFromTheGivenStatuses() {
        PrivacyStore store = newStore();
        PrivacyRequest created = request("req-1");
        store.create(created, smallSubjects("req-1"), Optional.empty());
        Instant confirmed = RECEIVED.plusSeconds(120).plusNanos(3);

        Optional<PrivacyRequest> wrongFrom = store.transition("req-1", EnumSet.of(RequestStatus.QUEUED,
                RequestStatus.RUNNING), RequestStatus.RUNNING, confirmed, null);
        Optional<PrivacyRequest> noFrom = store.transition("req-1", EnumSet.noneOf(RequestStatus.class),
                RequestStatus.QUEUED, confirmed, null);
        assertThat(wrongFrom).isEmpty();
        assertThat(noFrom).isEmpty();
        assertThat(store.request("req-1")).contains(created);

        Optional<PrivacyRequest> queued = store.transition("req-1",
                EnumSet.of(RequestStatus.AWAITING_CONFIRMATION, RequestStatus.QUEUED), RequestStatus.QUEUED,
                confirmed, null);

        PrivacyRequest expected = created.withStatus(RequestStatus.QUEUED, confirmed, null);
        assertThat(queued).contains(expected);
        assertThat(expected.updatedAt()).isEqualTo(confirmed);
        assertThat(expected.finishedAt()).isNull();
        assertThat(store.request("req-1")).contains(expected);
    }

    @Test
    void shouldSetFinishedAtAndReason_onATerminalStatus_andMoveNoFurther() {
        PrivacyStore store = newStore();
        store.create(request("req-1"), smallSubjects("req-1"), Optional.empty());
        Instant failedAt = RECEIVED.plus(Duration.ofMinutes(20)).plusNanos(5);

        PrivacyRequest failed = store.transition("req-1", EnumSet.of(RequestStatus.AWAITING_CONFIRMATION),
                RequestStatus.FAILED, failedAt, "CONFIRMATION_FAILED").orElseThrow();
        Optional<PrivacyRequest> later = store.transition("req-1", EnumSet.of(RequestStatus.AWAITING_CONFIRMATION,
                RequestStatus.QUEUED, RequestStatus.RUNNING), RequestStatus.CANCELLED, failedAt.plusSeconds(1), null);

        assertThat(failed.status()).isEqualTo(RequestStatus.FAILED);
        assertThat(failed.finishedAt()).isEqualTo(failedAt);
        assertThat(failed.updatedAt()).isEqualTo(failedAt);
        assertThat(failed.failureReason()).isEqualTo("CONFIRMATION_FAILED");
        assertThat(failed.receipts()).isEqualTo(receipts());
        assertThat(later).isEmpty();
        assertThat(store.request("req-1")).contains(failed);
    }

    @Test
    void shouldClearFinishedAtAndTheReason_whenARetryRunsTheRequestAgain() {
        PrivacyStore store = newStore();
        store.create(request("req-1", RequestStatus.RUNNING, DUE), smallSubjects("req-1"), Optional.empty());
        Instant at = RECEIVED.plusSeconds(10);
        store.transition("req-1", EnumSet.of(RequestStatus.RUNNING), RequestStatus.PARTIAL_SUCCESS, at, "crm failed");

        PrivacyRequest rerun = store.transition("req-1", EnumSet.of(RequestStatus.PARTIAL_SUCCESS),
                RequestStatus.RUNNING, at.plusSeconds(1), null).orElseThrow();

        assertThat(rerun.finishedAt()).isNull();
        assertThat(rerun.failureReason()).isNull();
        assertThat(store.request("req-1")).contains(rerun);
        assertThat(store.openRequests()).containsExactly(rerun);
    }

    @Test
    void shouldLetOneOfManyConcurrentTransitionsWin() throws Exception {
        PrivacyStore store = newStore();
        store.create(request("req-1", RequestStatus.QUEUED, DUE), smallSubjects("req-1"), Optional.empty());

        List<Optional<PrivacyRequest>> results = race(i -> store.transition("req-1",
                EnumSet.of(RequestStatus.QUEUED), RequestStatus.RUNNING, RECEIVED.plusSeconds(i), "worker-" + i));

        assertThat(results.stream().filter(Optional::isPresent).count()).isEqualTo(1);
        PrivacyRequest won = results.stream().flatMap(Optional::stream).findFirst().orElseThrow();
        int winner = Integer.parseInt(won.failureReason().substring("worker-".length()));
        assertThat(won.updatedAt()).isEqualTo(RECEIVED.plusSeconds(winner));
        assertThat(store.request("req-1")).contains(won);
    }

    @Test
    void shouldMarkARequestHandedOver_andChangeNothingElse() {
        PrivacyStore store = newStore();
        PrivacyRequest queued = request("req-1", RequestStatus.QUEUED, DUE);
        store.create(queued, smallSubjects("req-1"), Optional.empty());

        store.markHandedOver("req-1", RECEIVED.plusSeconds(3));
        store.markHandedOver("req-1", RECEIVED.plusSeconds(4));

        assertThat(store.request("req-1")).contains(queued.withHandedOver(true));
        assertThat(store.openRequests()).containsExactly(queued.withHandedOver(true));
    }

    // ---- receipts -----------------------------------------------------------------------------------------

    /** A receipt put back to PENDING by a retry: it still carries its last error, evidence and dates. */
    private static final Receipt RETRIED = new Receipt("billing", TargetKind.WEBHOOK, ReceiptStatus.PENDING, 1,
            "HTTP 502 from destination", RECEIVED.plusSeconds(2).plusNanos(11), RECEIVED.plusSeconds(3),
            Map.of("calls", 1L, "job_ids", List.of("job-0")));

    /** {@link #request} with {@link #RETRIED} second among the fixture receipts, running. */
    private static PrivacyRequest withPendingReceipt(String id) {
        List<Receipt> all = new ArrayList<>(receipts());
        all.add(1, RETRIED);
        return request(id, RequestStatus.RUNNING, DUE).withReceipts(all);
    }

    /** The request's receipts with the one of {@code receipt.target()} replaced, in the same order. */
    private static PrivacyRequest replacing(PrivacyRequest request, Receipt receipt) {
        return request.withReceipts(request.receipts().stream()
                .map(r -> r.target().equals(receipt.target()) ? receipt : r).toList());
    }

    @Test
    void shouldClaimAPendingReceipt_once_whileItsClaimIsFresh() {
        PrivacyStore store = newStore();
        PrivacyRequest created = withPendingReceipt("req-1");
        store.create(created, smallSubjects("req-1"), Optional.of(code("req-1")));
        Instant at = Instant.parse("2024-05-01T12:40:00Z"); // a whole second: Instant.toString() would drop ".000…"

        Optional<Receipt> claimed = store.claimReceipt("req-1", "billing", at, at.minus(Duration.ofMinutes(15)));

        Receipt expected = new Receipt("billing", TargetKind.WEBHOOK, ReceiptStatus.IN_PROGRESS, 2,
                "HTTP 502 from destination", at, null, RETRIED.evidence());
        assertThat(claimed).contains(expected);
        assertThat(store.request("req-1")).contains(replacing(created, expected));

        assertThat(store.claimReceipt("req-1", "billing", at.plusSeconds(1), at)).isEmpty();
        assertThat(store.claimReceipt("req-1", "billing", at.plusSeconds(1), at.minusNanos(1))).isEmpty();
        assertThat(store.request("req-1")).contains(replacing(created, expected));
    }

    @Test
    void shouldClaimAReceiptAgain_onceItsClaimIsStale() {
        PrivacyStore store = newStore();
        PrivacyRequest created = withPendingReceipt("req-1");
        store.create(created, smallSubjects("req-1"), Optional.empty());
        Instant first = Instant.parse("2024-05-01T12:40:00Z");
        store.claimReceipt("req-1", "billing", first, first.minusSeconds(900)).orElseThrow();
        Instant second = first.plus(Duration.ofMinutes(20)).plusNanos(3);

        Optional<Receipt> again = store.claimReceipt("req-1", "billing", second, first.plusMillis(500));

        Receipt expected = new Receipt("billing", TargetKind.WEBHOOK, ReceiptStatus.IN_PROGRESS, 3,
                "HTTP 502 from destination", second, null, RETRIED.evidence());
        assertThat(again).contains(expected);
        assertThat(store.request("req-1")).contains(replacing(created, expected));

        // the fixture's warehouse receipt is IN_PROGRESS since RECEIVED + 1.5 s + 7 ns
        Instant warehouseStarted = RECEIVED.plusMillis(1500).plusNanos(7);
        assertThat(store.claimReceipt("req-1", "warehouse", second, warehouseStarted)).isEmpty();
        Receipt warehouse = store.claimReceipt("req-1", "warehouse", second, warehouseStarted.plusNanos(1))
                .orElseThrow();
        assertThat(warehouse.attempts()).isEqualTo(3);
        assertThat(warehouse.startedAt()).isEqualTo(second);
        assertThat(warehouse.lastError()).isEqualTo("statement timed out");
        assertThat(warehouse.evidence()).isEqualTo(receipts().get(0).evidence());
    }

    @Test
    void shouldNotClaimTerminalReceipts_norUnknownOnes_andCreateNothing() {
        PrivacyStore store = newStore();
        PrivacyRequest created = withPendingReceipt("req-1");
        store.create(created, smallSubjects("req-1"), Optional.empty());
        Instant at = RECEIVED.plusSeconds(100);
        Instant farFuture = at.plus(Duration.ofDays(3650));

        assertThat(store.claimReceipt("req-1", "archive", at, farFuture)).isEmpty(); // SUCCEEDED
        assertThat(store.claimReceipt("req-1", "crm", at, farFuture)).isEmpty(); // FAILED
        assertThat(store.claimReceipt("req-1", "ads", at, farFuture)).isEmpty(); // NOT_SUPPORTED
        assertThat(store.claimReceipt("req-1", "nowhere", at, farFuture)).isEmpty();
        assertThat(store.claimReceipt("req-2", "billing", at, farFuture)).isEmpty();
        assertThat(store.updateReceipt("req-1", new Receipt("nowhere", TargetKind.WEBHOOK, ReceiptStatus.SUCCEEDED,
                1, null, at, at, Map.of()), EnumSet.allOf(ReceiptStatus.class))).isEmpty();
        assertThat(store.updateReceipt("req-2", RETRIED, EnumSet.allOf(ReceiptStatus.class))).isEmpty();

        assertThat(store.request("req-1")).contains(created);
        assertThat(store.request("req-2")).isEmpty();
        PrivacyRequest later = request("req-2");
        store.create(later, smallSubjects("req-2"), Optional.empty());
        assertThat(store.request("req-2")).contains(later); // no stray "billing" receipt was left under req-2
    }

    @Test
    void shouldGiveAReceiptToOneOfManyClaimingItAtOnce() throws Exception {
        PrivacyStore store = newStore();
        PrivacyRequest created = withPendingReceipt("req-1");
        store.create(created, smallSubjects("req-1"), Optional.empty());

        List<Optional<Receipt>> results = race(i -> store.claimReceipt("req-1", "billing",
                RECEIVED.plusSeconds(100 + i), RECEIVED));

        List<Receipt> won = results.stream().flatMap(Optional::stream).toList();
        assertThat(won).hasSize(1);
        assertThat(won.get(0).attempts()).isEqualTo(2);
        assertThat(store.request("req-1")).contains(replacing(created, won.get(0)));
    }

    @Test
    void shouldStoreAWorkersOutcome_exactly_leavingTheRestOfTheRequestAsItWas() {
        PrivacyStore store = newStore();
        PrivacyRequest created = withPendingReceipt("req-1");
        StoredSubjects subjects = smallSubjects("req-1");
        store.create(created, subjects, Optional.of(code("req-1")));
        Instant at = RECEIVED.plusSeconds(100).plusNanos(1);
        store.claimReceipt("req-1", "billing", at, RECEIVED).orElseThrow();
        Receipt outcome = new Receipt("billing", TargetKind.WEBHOOK, ReceiptStatus.SUCCEEDED, 2, null, at,
                at.plusSeconds(42).plusNanos(999_999_998),
                Map.of("calls", 3L, "rows_deleted", 12L, "bytes_scanned", 9_007_199_254_740_993L,
                        "tables", Map.of("analytics.tracks", 9L, "analytics.pages", 3L),
                        "job_ids", List.of("job-1", "job-2")));

        Optional<Receipt> stored = store.updateReceipt("req-1", outcome, EnumSet.of(ReceiptStatus.IN_PROGRESS));

        assertThat(stored).contains(outcome);
        PrivacyRequest read = store.request("req-1").orElseThrow();
        assertThat(read).isEqualTo(replacing(created, outcome));
        assertThat(read.receipts()).extracting(Receipt::target)
                .containsExactly("warehouse", "billing", "archive", "crm", "ads");
        assertThat(read.receipts().get(1).evidence().get("tables"))
                .isEqualTo(Map.of("analytics.tracks", 9L, "analytics.pages", 3L));
        assertThat(read.receipts().get(1).evidence().get("bytes_scanned")).isEqualTo(9_007_199_254_740_993L);
        assertSameSubjects(store.subjects("req-1"), subjects);
        assertThat(store.code("req-1")).contains(code("req-1"));
        assertThat(store.openRequests()).containsExactly(read);
    }

    @Test
    void shouldNotUpdateAReceipt_outsideTheGivenStatuses() {
        PrivacyStore store = newStore();
        PrivacyRequest created = withPendingReceipt("req-1");
        store.create(created, smallSubjects("req-1"), Optional.empty());
        Receipt outcome = new Receipt("billing", TargetKind.WEBHOOK, ReceiptStatus.SUCCEEDED, 2, null,
                RECEIVED.plusSeconds(9), RECEIVED.plusSeconds(10), Map.of("calls", 2L));

        assertThat(store.updateReceipt("req-1", outcome, EnumSet.of(ReceiptStatus.IN_PROGRESS))).isEmpty();
        assertThat(store.updateReceipt("req-1", outcome, EnumSet.of(ReceiptStatus.FAILED,
                ReceiptStatus.SUCCEEDED))).isEmpty();
        assertThat(store.updateReceipt("req-1", outcome, EnumSet.noneOf(ReceiptStatus.class))).isEmpty();
        assertThat(store.request("req-1")).contains(created);

        assertThat(store.updateReceipt("req-1", outcome, EnumSet.of(ReceiptStatus.PENDING, ReceiptStatus.FAILED)))
                .contains(outcome);
        assertThat(store.request("req-1")).contains(replacing(created, outcome));
    }

    @Test
    void shouldPutAFailedReceiptBackToPending_forARetry_thenLetItBeClaimed() {
        PrivacyStore store = newStore();
        PrivacyRequest created = withPendingReceipt("req-1");
        StoredSubjects subjects = smallSubjects("req-1");
        store.create(created, subjects, Optional.empty());
        Receipt failed = receipts().get(2); // crm: FAILED after 8 attempts
        Receipt retry = new Receipt(failed.target(), failed.kind(), ReceiptStatus.PENDING, failed.attempts(),
                failed.lastError(), null, null, failed.evidence());

        Optional<Receipt> pending = store.updateReceipt("req-1", retry, EnumSet.of(ReceiptStatus.FAILED));
        Optional<Receipt> twice = store.updateReceipt("req-1", retry, EnumSet.of(ReceiptStatus.FAILED));

        assertThat(pending).contains(retry);
        assertThat(twice).isEmpty();
        assertThat(store.request("req-1")).contains(replacing(created, retry));
        Instant at = RECEIVED.plusSeconds(7200).plusNanos(5);
        Receipt taken = store.claimReceipt("req-1", "crm", at, RECEIVED).orElseThrow();
        assertThat(taken).isEqualTo(new Receipt("crm", TargetKind.WEBHOOK, ReceiptStatus.IN_PROGRESS, 9,
                failed.lastError(), at, null, failed.evidence()));
        assertThat(store.request("req-1")).contains(replacing(created, taken));
        assertSameSubjects(store.subjects("req-1"), subjects);
    }

    // ---- subjects -----------------------------------------------------------------------------------------

    @Test
    void shouldKeepLargeSubjectParts_byteForByte() {
        PrivacyStore store = newStore();
        List<String> ids = ids(5000, 512, 1);
        StoredSubjects subjects = sealed("req-big", ids);
        assertThat(subjects.parts()).hasSizeGreaterThan(5);
        assertThat(subjects.parts()).allSatisfy(part -> assertThat(part.length).isLessThanOrEqualTo(MAX_PART_BYTES));
        PrivacyRequest created = request("req-big").withReceipts(List.of());

        store.create(created, subjects, Optional.empty());

        assertSameSubjects(store.subjects("req-big"), subjects);
        assertThat(store.request("req-big")).contains(created);
    }

    @Test
    void shouldReplaceSubjects_withFewerOrMoreParts_leavingNothingOfTheOldOnes() {
        PrivacyStore store = newStore();
        List<String> ids = ids(5000, 512, 2);
        PrivacyRequest created = request("req-1");
        store.create(created, sealed("req-1", ids), Optional.empty());
        StoredSubjects hashes = hashed(SubjectType.EMAIL, ids, MAX_PART_BYTES);
        StoredSubjects moreParts = hashed(SubjectType.EMAIL, ids, 40_000);
        StoredSubjects onePart = hashed(SubjectType.EMAIL, ids.subList(0, 10), MAX_PART_BYTES);

        store.replaceSubjects("req-1", hashes);
        assertSameSubjects(store.subjects("req-1"), hashes);
        assertThat(hashes.parts()).hasSize(2);

        store.replaceSubjects("req-1", moreParts);
        assertSameSubjects(store.subjects("req-1"), moreParts);
        assertThat(moreParts.parts()).hasSizeGreaterThan(8);

        store.replaceSubjects("req-1", onePart);
        assertSameSubjects(store.subjects("req-1"), onePart);
        assertThat(store.request("req-1")).contains(created);
    }

    // ---- confirmation codes -------------------------------------------------------------------------------

    @Test
    void shouldCountGuessesUpToTheLimit_thenRefuse() {
        PrivacyStore store = newStore();
        store.create(request("req-1"), smallSubjects("req-1"), Optional.of(code("req-1")));

        List<Integer> counted = IntStream.range(0, 3)
                .mapToObj(i -> store.countAttempt("req-1", 3).orElseThrow().attempts()).toList();
        Optional<ConfirmationCode> fourth = store.countAttempt("req-1", 3);

        assertThat(counted).containsExactly(1, 2, 3);
        assertThat(fourth).isEmpty();
        ConfirmationCode stored = store.code("req-1").orElseThrow();
        assertThat(stored.attempts()).isEqualTo(3);
        assertThat(stored.used()).isFalse();
        assertThat(stored.codeHash()).isEqualTo(code("req-1").codeHash());
        assertThat(stored.expiresAt()).isEqualTo(code("req-1").expiresAt());
        assertThat(store.countAttempt("req-1", 4)).map(ConfirmationCode::attempts).contains(4);
    }

    @Test
    void shouldCountExactlyTheAllowedGuesses_whenManyGuessAtOnce() throws Exception {
        PrivacyStore store = newStore();
        store.create(request("req-1"), smallSubjects("req-1"), Optional.of(code("req-1")));

        List<Optional<ConfirmationCode>> results = race(i -> store.countAttempt("req-1", 5));

        assertThat(results.stream().flatMap(Optional::stream).map(ConfirmationCode::attempts).toList())
                .containsExactlyInAnyOrder(1, 2, 3, 4, 5);
        assertThat(store.code("req-1").orElseThrow().attempts()).isEqualTo(5);
    }

    @Test
    void shouldUseACodeOnce_andRefuseGuessesAtAUsedCode() {
        PrivacyStore store = newStore();
        store.create(request("req-1"), smallSubjects("req-1"), Optional.of(code("req-1")));
        store.countAttempt("req-1", 5);

        boolean used = store.useCode("req-1");
        boolean usedAgain = store.useCode("req-1");
        Optional<ConfirmationCode> guess = store.countAttempt("req-1", 5);

        assertThat(used).isTrue();
        assertThat(usedAgain).isFalse();
        assertThat(guess).isEmpty();
        assertThat(store.code("req-1")).contains(new ConfirmationCode("req-1", code("req-1").codeHash(),
                code("req-1").expiresAt(), 1, true));
    }

    @Test
    void shouldUseACodeForOneOfManyRightGuessesAtOnce() throws Exception {
        PrivacyStore store = newStore();
        store.create(request("req-1"), smallSubjects("req-1"), Optional.of(code("req-1")));

        List<Boolean> used = race(i -> store.useCode("req-1"));

        assertThat(used).containsOnlyOnce(true);
        assertThat(store.code("req-1").orElseThrow().used()).isTrue();
    }

    @Test
    void shouldHaveNoCode_forARequestCreatedWithout() {
        PrivacyStore store = newStore();
        store.create(request("req-1", RequestStatus.QUEUED, DUE), smallSubjects("req-1"), Optional.empty());

        assertThat(store.code("req-1")).isEmpty();
        assertThat(store.countAttempt("req-1", 5)).isEmpty();
        assertThat(store.useCode("req-1")).isFalse();
    }

    // ---- suppressions -------------------------------------------------------------------------------------

    @Test
    void shouldKeepTheEarlierSince_whenASubjectIsSuppressedAgain() {
        PrivacyStore store = newStore();
        Instant first = RECEIVED.plusNanos(1);
        Instant second = RECEIVED.plus(Duration.ofDays(3));

        store.suppress(SubjectType.USER_ID, List.of("h-a", "h-b"), first, "req-1");
        store.suppress(SubjectType.USER_ID, List.of("h-b", "h-c"), second, "req-2");

        assertThat(store.suppressedSince(SubjectType.USER_ID, "h-a")).contains(first);
        assertThat(store.suppressedSince(SubjectType.USER_ID, "h-b")).contains(first);
        assertThat(store.suppressedSince(SubjectType.USER_ID, "h-c")).contains(second);
        assertThat(store.suppressedSince(SubjectType.USER_ID, "h-d")).isEmpty();
    }

    @Test
    void shouldKeepSuppressionsOfEachSubjectTypeApart() {
        PrivacyStore store = newStore();

        store.suppress(SubjectType.USER_ID, List.of("same-hash"), RECEIVED, "req-1");

        assertThat(store.suppressedSince(SubjectType.USER_ID, "same-hash")).contains(RECEIVED);
        assertThat(store.suppressedSince(SubjectType.EMAIL, "same-hash")).isEmpty();

        store.suppress(SubjectType.EMAIL, List.of("same-hash"), RECEIVED.plusSeconds(9), "req-2");
        store.unsuppress(SubjectType.USER_ID, List.of("same-hash"));

        assertThat(store.suppressedSince(SubjectType.USER_ID, "same-hash")).isEmpty();
        assertThat(store.suppressedSince(SubjectType.EMAIL, "same-hash")).contains(RECEIVED.plusSeconds(9));
    }

    @Test
    void shouldLiftSuppressions_ignoringAbsentOnes() {
        PrivacyStore store = newStore();
        store.suppress(SubjectType.EMAIL, List.of("h-a", "h-b"), RECEIVED, "req-1");

        store.unsuppress(SubjectType.EMAIL, List.of("h-a", "h-never", "h-a"));
        store.unsuppress(SubjectType.EMAIL, List.of());

        assertThat(store.suppressedSince(SubjectType.EMAIL, "h-a")).isEmpty();
        assertThat(store.suppressedSince(SubjectType.EMAIL, "h-b")).contains(RECEIVED);

        store.suppress(SubjectType.EMAIL, List.of("h-a"), RECEIVED.plusSeconds(5), "req-3");
        assertThat(store.suppressedSince(SubjectType.EMAIL, "h-a")).contains(RECEIVED.plusSeconds(5));
    }

    @Test
    void shouldSuppressAndLiftManySubjectsAtOnce_withRepeats() {
        PrivacyStore store = newStore();
        List<String> hashes = new ArrayList<>(ids(120, 64, 3));
        hashes.addAll(List.copyOf(hashes.subList(0, 30)));
        store.suppress(SubjectType.USER_ID, hashes.subList(0, 60), RECEIVED, "req-1");

        store.suppress(SubjectType.USER_ID, hashes, RECEIVED.plusSeconds(1), "req-2");

        assertThat(store.suppressedSince(SubjectType.USER_ID, hashes.get(0))).contains(RECEIVED);
        assertThat(store.suppressedSince(SubjectType.USER_ID, hashes.get(59))).contains(RECEIVED);
        assertThat(store.suppressedSince(SubjectType.USER_ID, hashes.get(60))).contains(RECEIVED.plusSeconds(1));
        assertThat(store.suppressedSince(SubjectType.USER_ID, hashes.get(119))).contains(RECEIVED.plusSeconds(1));

        store.unsuppress(SubjectType.USER_ID, hashes.subList(0, 110));

        assertThat(hashes.subList(0, 110)).allSatisfy(hash ->
                assertThat(store.suppressedSince(SubjectType.USER_ID, hash)).isEmpty());
        assertThat(hashes.subList(110, 120)).allSatisfy(hash ->
                assertThat(store.suppressedSince(SubjectType.USER_ID, hash)).contains(RECEIVED.plusSeconds(1)));
    }

    @Test
    void shouldKeepOneSince_whenTheSameSubjectIsSuppressedByManyAtOnce() throws Exception {
        PrivacyStore store = newStore();

        race(i -> {
            store.suppress(SubjectType.EMAIL, List.of("h-x", "h-y"), RECEIVED.plusSeconds(i), "req-" + i);
            return null;
        });

        Instant x = store.suppressedSince(SubjectType.EMAIL, "h-x").orElseThrow();
        assertThat(IntStream.range(0, RACERS).mapToObj(RECEIVED::plusSeconds)).contains(x);
        race(i -> {
            store.suppress(SubjectType.EMAIL, List.of("h-x"), RECEIVED.minusSeconds(1), "req-late");
            return null;
        });
        assertThat(store.suppressedSince(SubjectType.EMAIL, "h-x")).contains(x);
    }

    // ---- open requests ------------------------------------------------------------------------------------

    @Test
    void shouldListOnlyOpenRequests_earliestDueFirst() {
        PrivacyStore store = newStore();
        Instant base = Instant.parse("2024-06-01T00:00:00Z");
        List<PrivacyRequest> all = List.of(
                request("r-queued", RequestStatus.QUEUED, base.plusMillis(500)),
                request("r-done", RequestStatus.FINISHED, base.minusSeconds(60)),
                request("r-awaiting", RequestStatus.AWAITING_CONFIRMATION, base.plusSeconds(1)),
                request("r-b-running", RequestStatus.RUNNING, base),
                request("r-a-running", RequestStatus.RUNNING, base),
                request("r-failed", RequestStatus.FAILED, base.minusSeconds(1)),
                request("r-partial", RequestStatus.PARTIAL_SUCCESS, base.minusSeconds(1)),
                request("r-cancelled", RequestStatus.CANCELLED, base.minusSeconds(1)),
                request("r-late", RequestStatus.QUEUED, base.plus(Duration.ofDays(400))),
                request("r-early", RequestStatus.QUEUED, base.minus(Duration.ofDays(400)).plusNanos(1)));
        all.forEach(r -> store.create(r, smallSubjects(r.id()), Optional.empty()));

        assertThat(store.openRequests()).extracting(PrivacyRequest::id)
                .containsExactly("r-early", "r-a-running", "r-b-running", "r-queued", "r-awaiting", "r-late");
        assertThat(store.openRequests().get(0)).isEqualTo(all.get(9));

        store.transition("r-a-running", EnumSet.of(RequestStatus.RUNNING), RequestStatus.FINISHED,
                base.plusSeconds(5), null);
        store.transition("r-awaiting", EnumSet.of(RequestStatus.AWAITING_CONFIRMATION), RequestStatus.QUEUED,
                base.plusSeconds(5), null);

        List<PrivacyRequest> open = store.openRequests();
        assertThat(open).extracting(PrivacyRequest::id)
                .containsExactly("r-early", "r-b-running", "r-queued", "r-awaiting", "r-late");
        assertThat(open.get(3).status()).isEqualTo(RequestStatus.QUEUED);
        assertThat(open.get(3).receipts()).isEqualTo(receipts());
    }

    @Test
    void shouldListNoOpenRequests_inAnEmptyStore() {
        assertThat(newStore().openRequests()).isEmpty();
    }
}
