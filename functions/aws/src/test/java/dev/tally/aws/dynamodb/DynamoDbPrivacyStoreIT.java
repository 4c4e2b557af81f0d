package dev.tally.aws.dynamodb;

import dev.tally.aws.AwsClients;
import dev.tally.aws.AwsConfig;
import dev.tally.local.AwsEndpoints;
import dev.tally.local.LocalService;
import dev.tally.local.junit.LocalAwsTest;
import dev.tally.privacy.ConfirmationCode;
import dev.tally.privacy.IdempotencyRecord;
import dev.tally.privacy.PrivacyRequest;
import dev.tally.privacy.PrivacyStore;
import dev.tally.privacy.PrivacyStoreContract;
import dev.tally.privacy.RequestStatus;
import dev.tally.privacy.StoredSubjects;
import dev.tally.privacy.SubjectType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The privacy store contract against DynamoDB (dynalite here; LocalStack or AWS with the other backends). */
@LocalAwsTest(services = LocalService.DYNAMODB)
class DynamoDbPrivacyStoreIT extends PrivacyStoreContract {
    private static final Duration RETENTION = Duration.ofDays(760);
    private static DynamoDbClient dynamo;
    private String lastTable;

    @BeforeAll
    static void connect(AwsEndpoints aws) {
        dynamo = AwsClients.dynamoDb(AwsConfig.local(Map.of("dynamodb", aws.endpoint(LocalService.DYNAMODB))),
                AwsClients.httpClient());
    }

    @AfterAll
    static void disconnect() {
        dynamo.close();
    }

    @Override
    protected PrivacyStore newStore() {
        lastTable = "privacy-" + UUID.randomUUID();
        PrivacyTable.create(dynamo, lastTable);
        return new DynamoDbPrivacyStore(dynamo, lastTable, RETENTION);
    }

    private List<Map<String, AttributeValue>> items() {
        return dynamo.scanPaginator(b -> b.tableName(lastTable).consistentRead(true)).items().stream().toList();
    }

    private List<Map<String, AttributeValue>> items(String pk) {
        return items().stream().filter(item -> item.get("pk").s().equals(pk)).toList();
    }

    private static long expiresAt(Map<String, AttributeValue> item) {
        return Long.parseLong(item.get("expires_at").n());
    }

    /** Every string and every byte an item holds, so a test can look for what must not be there. */
    private static String content(AttributeValue value) {
        if (value.s() != null) {
            return value.s();
        }
        if (value.b() != null) {
            return new String(value.b().asByteArray(), StandardCharsets.ISO_8859_1);
        }
        if (value.hasM()) {
            return value.m().entrySet().stream().map(e -> e.getKey() + "=" + content(e.getValue()))
                    .collect(Collectors.joining(" "));
        }
        if (value.hasL()) {
            return value.l().stream().map(DynamoDbPrivacyStoreIT::content).collect(Collectors.joining(" "));
        }
        return String.valueOf(value.n());
    }

    @Test
    void shouldHoldNoRawSubjectId_inAnyItem() {
        PrivacyStore store = newStore();
        List<String> emails = List.of("ana.lima@example.com", "bo.berg@example.org", "u-9d2f0c");
        PrivacyRequest created = request("req-1");
        store.create(created, sealed("req-1", emails), Optional.of(code("req-1")));
        store.takeIdempotencyKey(new IdempotencyRecord("key-hash", "req-1", "fp", RECEIVED, DUE));
        store.suppress(SubjectType.EMAIL, hashed(SubjectType.EMAIL, emails, MAX_PART_BYTES).parts().stream()
                .map(part -> new String(part, StandardCharsets.UTF_8).strip()).flatMap(String::lines).toList(),
                RECEIVED, "req-1");
        store.transition("req-1", EnumSet.of(RequestStatus.AWAITING_CONFIRMATION), RequestStatus.FINISHED,
                RECEIVED.plusSeconds(60), null);
        store.replaceSubjects("req-1", hashed(SubjectType.EMAIL, emails, MAX_PART_BYTES));

        List<Map<String, AttributeValue>> items = items();

        assertThat(items).hasSizeGreaterThan(8);
        for (Map<String, AttributeValue> item : items) {
            String content = item.entrySet().stream().map(e -> e.getKey() + "=" + content(e.getValue()))
                    .collect(Collectors.joining(" "));
            for (String email : emails) {
                assertThat(content).doesNotContain(email).doesNotContain(email.toUpperCase());
            }
        }
    }

    @Test
    void shouldLeaveOnlyTheCurrentSubjectParts_afterReplacing() {
        PrivacyStore store = newStore();
        List<String> ids = ids(5000, 512, 4);
        store.create(request("req-1"), sealed("req-1", ids), Optional.empty());
        int sealedParts = items("REQ#req-1").stream().filter(item -> item.get("sk").s().startsWith("SUBJECTS#"))
                .toList().size();

        StoredSubjects hashes = hashed(SubjectType.EMAIL, ids, MAX_PART_BYTES);
        store.replaceSubjects("req-1", hashes);

        List<String> parts = items("REQ#req-1").stream().map(item -> item.get("sk").s())
                .filter(sk -> sk.startsWith("SUBJECTS#")).sorted().toList();
        assertThat(sealedParts).isGreaterThan(5);
        assertThat(parts).hasSize(hashes.parts().size());
        String generation = parts.get(0).split("#")[1];
        assertThat(parts).containsExactly("SUBJECTS#" + generation + "#0000", "SUBJECTS#" + generation + "#0001");
        Map<String, AttributeValue> meta = items("REQ#req-1").stream()
                .filter(item -> item.get("sk").s().equals("META")).findFirst().orElseThrow();
        assertThat(meta.get("subjects_gen").s()).isEqualTo(generation);
        assertThat(meta.get("subject_parts").n()).isEqualTo("2");
        assertThat(meta.get("subjects_form").s()).isEqualTo("HASHED");
    }

    @Test
    void shouldExpireARequestsItemsAfterTheRetention_keysFromTheirRecord_codesADayAfter_andSuppressionsNever() {
        PrivacyStore store = newStore();
        store.create(request("req-1"), smallSubjects("req-1"), Optional.of(code("req-1")));
        Instant keyExpiry = Instant.parse("2026-05-01T00:00:00Z");
        store.takeIdempotencyKey(new IdempotencyRecord("key-hash", "req-1", "fp", RECEIVED, keyExpiry));
        store.suppress(SubjectType.USER_ID, List.of("h-1"), RECEIVED, "req-1");

        Map<String, Map<String, AttributeValue>> bySk = new HashMap<>();
        items().forEach(item -> bySk.put(item.get("pk").s() + "|" + item.get("sk").s().split("#")[0], item));

        long retained = RECEIVED.plus(RETENTION).getEpochSecond();
        assertThat(expiresAt(bySk.get("REQ#req-1|META"))).isEqualTo(retained);
        assertThat(expiresAt(bySk.get("REQ#req-1|RECEIPT"))).isEqualTo(retained);
        assertThat(expiresAt(bySk.get("REQ#req-1|SUBJECTS"))).isEqualTo(retained);
        assertThat(expiresAt(bySk.get("REQ#req-1|CODE")))
                .isEqualTo(code("req-1").expiresAt().plus(Duration.ofDays(1)).getEpochSecond());
        assertThat(expiresAt(bySk.get("IDEM#key-hash|IDEM"))).isEqualTo(keyExpiry.getEpochSecond());
        assertThat(bySk.get("SUP#USER_ID#h-1|SUP")).doesNotContainKey("expires_at");
        assertThat(items().stream().filter(item -> item.get("pk").s().startsWith("REQ#"))
                .filter(item -> !item.get("sk").s().equals("CODE")))
                .allSatisfy(item -> assertThat(expiresAt(item)).isEqualTo(retained));
    }

    @Test
    void shouldKeepOnlyOpenRequestsInTheOpenIndex() {
        PrivacyStore store = newStore();
        store.create(request("req-open", RequestStatus.QUEUED, DUE), smallSubjects("req-open"), Optional.empty());
        store.create(request("req-done", RequestStatus.RUNNING, DUE), smallSubjects("req-done"), Optional.empty());
        store.create(request("req-old", RequestStatus.CANCELLED, DUE), smallSubjects("req-old"), Optional.empty());
        store.transition("req-done", EnumSet.of(RequestStatus.RUNNING), RequestStatus.FINISHED, RECEIVED, null);

        List<String> indexed = dynamo.queryPaginator(b -> b.tableName(lastTable).indexName("open")
                        .keyConditionExpression("open_pk = :open")
                        .expressionAttributeValues(Map.of(":open", AttributeValue.fromS("OPEN"))))
                .items().stream().map(item -> item.get("pk").s()).toList();

        assertThat(indexed).containsExactly("REQ#req-open");
        assertThat(items().stream().filter(item -> item.containsKey("open_pk")).map(item -> item.get("pk").s()))
                .containsExactly("REQ#req-open");
    }

    @Test
    void shouldIgnoreAHalfWrittenRequest_andNotCreateOverIt() {
        PrivacyStore store = newStore();
        store.create(request("req-1", RequestStatus.QUEUED, DUE), smallSubjects("req-1"), Optional.empty());
        Map<String, AttributeValue> meta = new HashMap<>(items("REQ#req-1").stream()
                .filter(item -> item.get("sk").s().equals("META")).findFirst().orElseThrow());
        meta.put("pk", AttributeValue.fromS("REQ#req-crashed"));
        meta.put("visible", AttributeValue.fromBool(false));
        meta.remove("open_pk");
        dynamo.putItem(b -> b.tableName(lastTable).item(meta));

        assertThat(store.request("req-crashed")).isEmpty();
        assertThat(store.subjects("req-crashed")).isEmpty();
        assertThat(store.transition("req-crashed", EnumSet.allOf(RequestStatus.class), RequestStatus.RUNNING,
                RECEIVED, null)).isEmpty();
        assertThat(store.create(request("req-crashed"), smallSubjects("req-crashed"), Optional.empty())).isFalse();
        assertThat(store.openRequests()).extracting(PrivacyRequest::id).containsExactly("req-1");
    }

    @Test
    void shouldRefuseAPartTooLargeForOneItem_beforeWritingAnything() {
        PrivacyStore store = newStore();
        StoredSubjects tooLarge = new StoredSubjects(StoredSubjects.Form.SEALED,
                List.of(new byte[10], new byte[DynamoDbPrivacyStore.MAX_PART_BYTES + 1]));

        assertThatThrownBy(() -> store.create(request("req-1"), tooLarge, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
        assertThat(items()).isEmpty();
    }

    @Test
    void shouldStoreAPartOfTheLargestSize() {
        PrivacyStore store = newStore();
        byte[] largest = new byte[DynamoDbPrivacyStore.MAX_PART_BYTES];
        new java.util.Random(5).nextBytes(largest);
        StoredSubjects subjects = new StoredSubjects(StoredSubjects.Form.SEALED, List.of(largest, new byte[1]));

        store.create(request("req-a-rather-long-request-id-" + "x".repeat(200)), subjects, Optional.empty());

        assertSameSubjects(store.subjects("req-a-rather-long-request-id-" + "x".repeat(200)), subjects);
    }

    @Test
    void shouldRefuseARecordRetentionShorterThan24Months() {
        assertThatThrownBy(() -> new DynamoDbPrivacyStore(dynamo, "t", Duration.ofDays(729)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("730 days");
        assertThat(new DynamoDbPrivacyStore(dynamo, "t", Duration.ofDays(730))).isNotNull();
    }

    @Test
    void shouldKeepSuppressionsInTheirOwnTable_whenGivenOne() {
        String requests = "privacy-" + UUID.randomUUID();
        String suppressions = "suppressions-" + UUID.randomUUID();
        PrivacyTable.create(dynamo, requests);
        PrivacyTable.createSuppressions(dynamo, suppressions);
        PrivacyStore store = new DynamoDbPrivacyStore(dynamo, requests, suppressions, RETENTION);

        store.suppress(SubjectType.EMAIL, List.of("h-1", "h-2"), RECEIVED, "req-1");
        store.unsuppress(SubjectType.EMAIL, List.of("h-2"));

        assertThat(store.suppressedSince(SubjectType.EMAIL, "h-1")).contains(RECEIVED);
        assertThat(store.suppressedSince(SubjectType.EMAIL, "h-2")).isEmpty();
        assertThat(dynamo.scan(b -> b.tableName(requests)).items()).isEmpty();
        assertThat(dynamo.scan(b -> b.tableName(suppressions)).items()).singleElement()
                .satisfies(item -> {
                    assertThat(item.get("pk").s()).isEqualTo("SUP#EMAIL#h-1");
                    assertThat(item.get("since").s()).isEqualTo("2024-05-01T12:34:56.123456789Z");
                    assertThat(item.get("request_id").s()).isEqualTo("req-1");
                });
    }

    @Test
    void shouldStoreInstantsAsFixedWidthText_thatSortsAsTimeDoes() {
        PrivacyStore store = newStore();
        store.create(request("req-1", RequestStatus.QUEUED, Instant.parse("2024-06-01T00:00:00Z")),
                smallSubjects("req-1"), Optional.of(new ConfirmationCode("req-1", "h", Instant.parse(
                        "2024-06-01T00:00:00.5Z"), 0, false)));

        Map<String, AttributeValue> meta = items("REQ#req-1").stream()
                .filter(item -> item.get("sk").s().equals("META")).findFirst().orElseThrow();
        Map<String, AttributeValue> code = items("REQ#req-1").stream()
                .filter(item -> item.get("sk").s().equals("CODE")).findFirst().orElseThrow();

        assertThat(meta.get("due_at").s()).isEqualTo("2024-06-01T00:00:00.000000000Z");
        assertThat(code.get("code_expires_at").s()).isEqualTo("2024-06-01T00:00:00.500000000Z");
        assertThat(meta).doesNotContainKeys("claim", "finished_at", "failure_reason");
        assertThat(meta.get("visible").bool()).isTrue();
    }
}
