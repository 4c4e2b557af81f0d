package dev.tally.aws.dynamodb;

import dev.tally.privacy.ConfirmationCode;
import dev.tally.privacy.IdempotencyRecord;
import dev.tally.privacy.PrivacyRequest;
import dev.tally.privacy.PrivacyStore;
import dev.tally.privacy.Receipt;
import dev.tally.privacy.ReceiptStatus;
import dev.tally.privacy.Regulation;
import dev.tally.privacy.RequestStatus;
import dev.tally.privacy.RequestType;
import dev.tally.privacy.StoredSubjects;
import dev.tally.privacy.SubjectType;
import dev.tally.privacy.TargetKind;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

import static dev.tally.aws.dynamodb.PrivacyTable.DUE_AT;
import static dev.tally.aws.dynamodb.PrivacyTable.EXPIRES_AT;
import static dev.tally.aws.dynamodb.PrivacyTable.OPEN_INDEX;
import static dev.tally.aws.dynamodb.PrivacyTable.OPEN_PK;
import static dev.tally.aws.dynamodb.PrivacyTable.PK;
import static dev.tally.aws.dynamodb.PrivacyTable.SK;

/**
 * The {@link PrivacyStore} in DynamoDB ({@link PrivacyTable}; design, items and a worked example:
 * docs/privacy-store.md). Every decision two invocations could both take is one conditional write on one item —
 * no transactions, which dynalite lacks and one item per decision does not need:
 * <ul>
 *   <li>a request is claimed by putting its {@code META} item with {@code attribute_not_exists(pk)} and
 *       {@code visible = false}; its receipts, subject parts and code are written next, and one last update sets
 *       {@code visible = true} (and puts it in the open index). Readers ignore an invisible request, so a request
 *       is seen whole or not at all, and a second {@code create} with the same id writes nothing at all: it loses
 *       the claim before it has written any of its items, so the first request's items are never overwritten;</li>
 *   <li>a transition is an {@code UpdateItem} of {@code META} on {@code status IN (from)}; a guess on
 *       {@code used = false AND attempts < max}; using a code on {@code used = false}; a receipt is claimed, or
 *       its outcome written, with an {@code UpdateItem} of its own item on its status; an idempotency key is taken
 *       with {@code attribute_not_exists(pk)} and taken over on {@code request_id = stale AND created_at = stale};
 *       a suppression is put with {@code attribute_not_exists(pk)} per subject, so the first one's {@code since}
 *       stays whatever the concurrency (a batch read followed by batch writes would let two suppressions both see
 *       "absent" and the later one overwrite the earlier date);</li>
 *   <li>subject parts are written under a new generation ({@code SUBJECTS#<gen>#<nnnn>}), then {@code META} is
 *       switched to that generation with one conditional update, then the superseded generation's parts are
 *       deleted: a reader sees the old parts or the new ones, never a mix, and no old part stays behind.</li>
 * </ul>
 * Instants are stored as fixed-width UTC text with nine fractional digits, so they come back exactly and their
 * text order is their time order. No item holds a raw subject id or email: only the sealed parts and keyed hashes
 * the domain hands over. Items of a request, and idempotency keys, expire (TTL {@code expires_at}) after the
 * record retention; codes a day after they expire; suppressions never.
 */
public final class DynamoDbPrivacyStore implements PrivacyStore {
    /** 25 months: CCPA (§7101) requires request records to be kept at least 24. */
    public static final Duration DEFAULT_RECORD_RETENTION = Duration.ofDays(760);
    public static final Duration MIN_RECORD_RETENTION = Duration.ofDays(730);
    /** The largest subject part one item holds, with room for its keys under DynamoDB's 400 KB item limit. */
    public static final int MAX_PART_BYTES = 400_000;
    static final int MAX_PARTS = 9999;
    private static final int BATCH = 25;
    private static final Duration CODE_KEPT_AFTER_EXPIRY = Duration.ofDays(1);
    private static final ExecutorService WORKERS = Executors.newFixedThreadPool(16, runnable -> {
        Thread thread = new Thread(runnable, "privacy-store");
        thread.setDaemon(true);
        return thread;
    });
    private static final DateTimeFormatter INSTANT_TEXT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    static final String REQUEST_PREFIX = "REQ#";
    static final String META = "META";
    static final String RECEIPT_PREFIX = "RECEIPT#";
    /** Just after every {@code RECEIPT#...} sort key ('$' follows '#'): META and the receipts, nothing else. */
    private static final String RECEIPTS_END = "RECEIPT$";
    static final String SUBJECTS_PREFIX = "SUBJECTS#";
    static final String CODE = "CODE";
    static final String KEY_PREFIX = "IDEM#";
    static final String KEY = "IDEM";
    static final String SUPPRESSION_PREFIX = "SUP#";
    static final String SUPPRESSION = "SUP";
    static final String OPEN = "OPEN";

    // request (META)
    private static final String VISIBLE = "visible";
    /** A token of the create call that claimed the id, so that call knows its own claim after an SDK retry. */
    private static final String CLAIM = "claim";
    private static final String STATUS = "status";
    private static final String REQUEST_TYPE = "request_type";
    private static final String SUBJECT_TYPE = "subject_type";
    private static final String SUBJECT_COUNT = "subject_count";
    private static final String REGULATION = "regulation";
    private static final String RECEIVED_AT = "received_at";
    private static final String FINISHED_AT = "finished_at";
    private static final String REQUESTED_BY = "requested_by";
    private static final String OWNER = "owner";
    private static final String FINGERPRINT = "fingerprint";
    private static final String FAILURE_REASON = "failure_reason";
    private static final String HANDED_OVER = "handed_over";
    private static final String HANDED_OVER_AT = "handed_over_at";
    private static final String UPDATED_AT = "updated_at";
    private static final String SUBJECTS_FORM = "subjects_form";
    private static final String SUBJECTS_GEN = "subjects_gen";
    private static final String SUBJECT_PARTS = "subject_parts";
    // receipt
    private static final String POSITION = "position";
    private static final String TARGET = "target";
    private static final String KIND = "kind";
    private static final String ATTEMPTS = "attempts";
    private static final String LAST_ERROR = "last_error";
    private static final String STARTED_AT = "started_at";
    private static final String EVIDENCE = "evidence";
    // subject part
    private static final String DATA = "data";
    // code
    private static final String CODE_HASH = "code_hash";
    private static final String CODE_EXPIRES_AT = "code_expires_at";
    private static final String USED = "used";
    // idempotency key
    private static final String REQUEST_ID = "request_id";
    private static final String CREATED_AT = "created_at";
    private static final String KEY_EXPIRES_AT = "key_expires_at";
    // suppression
    private static final String SINCE = "since";

    private final DynamoDbClient dynamo;
    private final String table;
    private final String suppressionTable;
    private final Duration recordRetention;

    /** Requests and suppressions in one table, records kept {@link #DEFAULT_RECORD_RETENTION}. */
    public DynamoDbPrivacyStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, table, DEFAULT_RECORD_RETENTION);
    }

    public DynamoDbPrivacyStore(DynamoDbClient dynamo, String table, Duration recordRetention) {
        this(dynamo, table, table, recordRetention);
    }

    /**
     * @param table            requests, receipts, subjects, codes, idempotency keys ({@link PrivacyTable#create})
     * @param suppressionTable suppressions: {@code table} itself, or a table of their own
     *                         ({@link PrivacyTable#createSuppressions}) that a forwarding function may read
     *                         without being able to read requests
     * @param recordRetention  how long a request's items (and idempotency keys without an expiry) are kept after
     *                         it was received; at least {@link #MIN_RECORD_RETENTION}
     * @throws IllegalArgumentException when the retention is shorter than the law requires
     */
    public DynamoDbPrivacyStore(DynamoDbClient dynamo, String table, String suppressionTable,
                                Duration recordRetention) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.suppressionTable = Objects.requireNonNull(suppressionTable, "suppressionTable");
        if (recordRetention.compareTo(MIN_RECORD_RETENTION) < 0) {
            throw new IllegalArgumentException("privacy record retention must be at least "
                    + MIN_RECORD_RETENTION.toDays() + " days (CCPA §7101: 24 months), not "
                    + recordRetention.toDays() + " days");
        }
        this.recordRetention = recordRetention;
    }

    // ---- idempotency keys -------------------------------------------------------------------------------

    @Override
    public IdempotencyRecord takeIdempotencyKey(IdempotencyRecord candidate) {
        Objects.requireNonNull(candidate.createdAt(), "createdAt");
        for (int attempt = 0; ; attempt++) {
            try {
                dynamo.putItem(b -> b.tableName(table).item(keyItem(candidate.keyHash(), candidate))
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", PK)));
                return candidate;
            } catch (ConditionalCheckFailedException held) {
                Optional<IdempotencyRecord> holder = idempotencyKey(candidate.keyHash());
                if (holder.isPresent()) {
                    return holder.get();
                }
                if (attempt >= 3) { // deleted (by TTL) between our put and our read, again and again
                    throw new IllegalStateException("idempotency key neither free nor held", held);
                }
            }
        }
    }

    @Override
    public boolean replaceIdempotencyKey(IdempotencyRecord stale, IdempotencyRecord replacement) {
        Objects.requireNonNull(stale.createdAt(), "createdAt");
        Objects.requireNonNull(replacement.createdAt(), "createdAt");
        try {
            dynamo.putItem(b -> b.tableName(table).item(keyItem(stale.keyHash(), replacement))
                    .conditionExpression("#requestId = :requestId AND #createdAt = :createdAt")
                    .expressionAttributeNames(Map.of("#requestId", REQUEST_ID, "#createdAt", CREATED_AT))
                    .expressionAttributeValues(Map.of(":requestId", text(stale.requestId()),
                            ":createdAt", instant(stale.createdAt()))));
            return true;
        } catch (ConditionalCheckFailedException notHeldSo) {
            return false;
        }
    }

    @Override
    public Optional<IdempotencyRecord> idempotencyKey(String keyHash) {
        Map<String, AttributeValue> item = get(table, key(KEY_PREFIX + keyHash, KEY));
        if (item == null) {
            return Optional.empty();
        }
        return Optional.of(new IdempotencyRecord(keyHash, string(item, REQUEST_ID), string(item, FINGERPRINT),
                instant(item, CREATED_AT), instant(item, KEY_EXPIRES_AT)));
    }

    private Map<String, AttributeValue> keyItem(String keyHash, IdempotencyRecord record) {
        Map<String, AttributeValue> item = new HashMap<>(key(KEY_PREFIX + keyHash, KEY));
        putText(item, REQUEST_ID, record.requestId());
        putText(item, FINGERPRINT, record.fingerprint());
        item.put(CREATED_AT, instant(record.createdAt()));
        putInstant(item, KEY_EXPIRES_AT, record.expiresAt());
        Instant expiry = record.expiresAt() != null ? record.expiresAt() : record.createdAt().plus(recordRetention);
        item.put(EXPIRES_AT, number(expiry.getEpochSecond()));
        return item;
    }

    // ---- requests -----------------------------------------------------------------------------------------

    @Override
    public boolean create(PrivacyRequest request, StoredSubjects subjects, Optional<ConfirmationCode> code) {
        checkParts(subjects);
        Set<String> targets = new HashSet<>();
        request.receipts().forEach(receipt -> {
            if (!targets.add(receipt.target())) {
                throw new IllegalArgumentException("request " + request.id() + " has two receipts for target "
                        + receipt.target());
            }
        });
        long expiresAt = request.receivedAt().plus(recordRetention).getEpochSecond();
        String generation = newGeneration();
        String claim = newGeneration();
        Map<String, AttributeValue> meta = requestItem(request, subjects, generation, expiresAt);
        meta.put(CLAIM, text(claim));
        try {
            dynamo.putItem(b -> b.tableName(table).item(meta).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK)));
        } catch (ConditionalCheckFailedException exists) {
            // Ours only if the SDK retried our own put after its answer was lost; else someone else's request.
            Map<String, AttributeValue> holder = get(table, key(requestPk(request.id()), META));
            if (holder == null || visible(holder) || !claim.equals(string(holder, CLAIM))) {
                return false;
            }
        }
        List<Map<String, AttributeValue>> children = new ArrayList<>();
        for (int i = 0; i < request.receipts().size(); i++) {
            children.add(receiptItem(request.id(), i, request.receipts().get(i), expiresAt));
        }
        children.addAll(partItems(request.id(), generation, subjects, expiresAt));
        code.ifPresent(c -> children.add(codeItem(request.id(), c)));
        try {
            writeAll(table, children.stream().map(DynamoDbPrivacyStore::put).toList());
            Map<String, String> names = new HashMap<>(Map.of("#visible", VISIBLE));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":true", AttributeValue.fromBool(true)));
            names.put("#claim", CLAIM);
            String set = "SET #visible = :true";
            if (!request.status().terminal()) {
                set += ", #open = :open";
                names.put("#open", OPEN_PK);
                values.put(":open", text(OPEN));
            }
            String expression = set + " REMOVE #claim";
            dynamo.updateItem(b -> b.tableName(table).key(key(requestPk(request.id()), META))
                    .updateExpression(expression).expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (RuntimeException e) {
            // Leave no invisible half-request behind (a crash here leaves one to its TTL: it is never read).
            List<Map<String, AttributeValue>> written = new ArrayList<>(children);
            written.add(meta);
            try {
                writeAll(table, written.stream().map(item -> delete(key(item.get(PK).s(), item.get(SK).s()))).toList());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    @Override
    public Optional<PrivacyRequest> request(String id) {
        List<Map<String, AttributeValue>> items = query(QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :meta AND :receiptsEnd")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(":pk", text(requestPk(id)), ":meta", text(META),
                        ":receiptsEnd", text(RECEIPTS_END)))
                .build());
        Map<String, AttributeValue> meta = items.stream().filter(item -> META.equals(item.get(SK).s())).findFirst()
                .orElse(null);
        if (!visible(meta)) {
            return Optional.empty();
        }
        return Optional.of(toRequest(meta, items.stream().filter(item -> item.get(SK).s().startsWith(RECEIPT_PREFIX))
                .toList()));
    }

    @Override
    public Optional<PrivacyRequest> transition(String id, Set<RequestStatus> from, RequestStatus to, Instant at,
                                               String reason) {
        if (from.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> names = new HashMap<>(Map.of("#visible", VISIBLE, "#status", STATUS,
                "#updated", UPDATED_AT, "#reason", FAILURE_REASON));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":true", AttributeValue.fromBool(true),
                ":to", text(to.name()), ":at", instant(at)));
        List<String> fromValues = new ArrayList<>();
        for (RequestStatus status : from) {
            String name = ":from" + status.ordinal();
            fromValues.add(name);
            values.put(name, text(status.name()));
        }
        List<String> set = new ArrayList<>(List.of("#status = :to", "#updated = :at"));
        List<String> remove = new ArrayList<>();
        if (reason == null) {
            remove.add("#reason");
        } else {
            set.add("#reason = :reason");
            values.put(":reason", text(reason));
        }
        names.put("#open", OPEN_PK);
        names.put("#finished", FINISHED_AT);
        if (to.terminal()) {
            set.add("#finished = :at");
            remove.add("#open");
        } else { // a retry running it again: open, and not finished any more
            set.add("#open = :open");
            values.put(":open", text(OPEN));
            remove.add("#finished");
        }
        String update = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        Map<String, AttributeValue> changed;
        try {
            changed = dynamo.updateItem(b -> b.tableName(table).key(key(requestPk(id), META))
                    .updateExpression(update)
                    .conditionExpression("#visible = :true AND #status IN (" + String.join(", ", fromValues) + ")")
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
        } catch (ConditionalCheckFailedException movedOrAbsent) {
            return Optional.empty();
        }
        return Optional.of(toRequest(changed, receiptItems(id)));
    }

    @Override
    public void markHandedOver(String id, Instant at) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(requestPk(id), META))
                    .updateExpression("SET #handed = :true, #handedAt = :at")
                    .conditionExpression("#visible = :true")
                    .expressionAttributeNames(Map.of("#handed", HANDED_OVER, "#handedAt", HANDED_OVER_AT,
                            "#visible", VISIBLE))
                    .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true), ":at", instant(at))));
        } catch (ConditionalCheckFailedException absent) {
            // no such request: nothing to mark
        }
    }

    /**
     * One {@code UpdateItem} of the receipt's item, on {@code attribute_exists(pk) AND (status = PENDING OR
     * (status = IN_PROGRESS AND started_at < :staleBefore))}: {@code started_at} is fixed-width text, so the text
     * comparison is the time comparison, to the nanosecond. Of two workers taking the same receipt, one wins.
     */
    @Override
    public Optional<Receipt> claimReceipt(String requestId, String target, Instant at, Instant staleBefore) {
        Map<String, AttributeValue> taken;
        try {
            taken = dynamo.updateItem(b -> b.tableName(table).key(key(requestPk(requestId), RECEIPT_PREFIX + target))
                    .updateExpression("SET #status = :inProgress, #attempts = #attempts + :one, #started = :at"
                            + " REMOVE #finished")
                    .conditionExpression("attribute_exists(#pk) AND (#status = :pending"
                            + " OR (#status = :inProgress AND #started < :staleBefore))")
                    .expressionAttributeNames(Map.of("#pk", PK, "#status", STATUS, "#attempts", ATTEMPTS,
                            "#started", STARTED_AT, "#finished", FINISHED_AT))
                    .expressionAttributeValues(Map.of(":inProgress", text(ReceiptStatus.IN_PROGRESS.name()),
                            ":pending", text(ReceiptStatus.PENDING.name()), ":one", number(1), ":at", instant(at),
                            ":staleBefore", instant(staleBefore)))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
        } catch (ConditionalCheckFailedException takenOrAbsent) {
            return Optional.empty();
        }
        return Optional.of(toReceipt(taken));
    }

    /**
     * One {@code UpdateItem} of the receipt's item, on {@code attribute_exists(pk) AND status IN (:from...)}: every
     * field of {@code next} is written (absent ones removed); {@code position} and {@code expires_at} stay.
     */
    @Override
    public Optional<Receipt> updateReceipt(String requestId, Receipt next, Set<ReceiptStatus> from) {
        if (from.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> names = new HashMap<>(Map.of("#pk", PK, "#status", STATUS, "#kind", KIND,
                "#attempts", ATTEMPTS, "#evidence", EVIDENCE, "#lastError", LAST_ERROR, "#started", STARTED_AT,
                "#finished", FINISHED_AT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":status", text(next.status().name()),
                ":kind", text(next.kind().name()), ":attempts", number(next.attempts()),
                ":evidence", EvidenceValues.toAttribute(next.evidence())));
        List<String> fromValues = new ArrayList<>();
        for (ReceiptStatus status : from) {
            String name = ":from" + status.ordinal();
            fromValues.add(name);
            values.put(name, text(status.name()));
        }
        List<String> set = new ArrayList<>(List.of("#status = :status", "#kind = :kind", "#attempts = :attempts",
                "#evidence = :evidence"));
        List<String> remove = new ArrayList<>();
        setOrRemove(set, remove, values, "#lastError", next.lastError() == null ? null : text(next.lastError()));
        setOrRemove(set, remove, values, "#started", next.startedAt() == null ? null : instant(next.startedAt()));
        setOrRemove(set, remove, values, "#finished", next.finishedAt() == null ? null : instant(next.finishedAt()));
        String update = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        Map<String, AttributeValue> stored;
        try {
            stored = dynamo.updateItem(b -> b.tableName(table)
                    .key(key(requestPk(requestId), RECEIPT_PREFIX + next.target()))
                    .updateExpression(update)
                    .conditionExpression("attribute_exists(#pk) AND #status IN (" + String.join(", ", fromValues) + ")")
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
        } catch (ConditionalCheckFailedException movedOrAbsent) {
            return Optional.empty();
        }
        return Optional.of(toReceipt(stored));
    }

    private static void setOrRemove(List<String> set, List<String> remove, Map<String, AttributeValue> values,
                                    String name, AttributeValue value) {
        if (value == null) {
            remove.add(name);
        } else {
            String placeholder = ":" + name.substring(1);
            set.add(name + " = " + placeholder);
            values.put(placeholder, value);
        }
    }

    @Override
    public List<PrivacyRequest> openRequests() {
        List<String> ids = query(QueryRequest.builder().tableName(table).indexName(OPEN_INDEX)
                .keyConditionExpression("#open = :open")
                .expressionAttributeNames(Map.of("#open", OPEN_PK))
                .expressionAttributeValues(Map.of(":open", text(OPEN)))
                .build()).stream().map(item -> item.get(PK).s().substring(REQUEST_PREFIX.length())).distinct().toList();
        // The index lags writes a little: re-read each request (consistently) and keep those still open.
        List<CompletableFuture<Optional<PrivacyRequest>>> reads = ids.stream()
                .map(id -> CompletableFuture.supplyAsync(() -> request(id), WORKERS)).toList();
        return join(reads).stream().flatMap(Optional::stream).filter(r -> !r.status().terminal())
                .sorted(Comparator.comparing(PrivacyRequest::dueAt).thenComparing(PrivacyRequest::id)).toList();
    }

    private List<Map<String, AttributeValue>> receiptItems(String id) {
        return query(QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :receipt)")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(":pk", text(requestPk(id)), ":receipt", text(RECEIPT_PREFIX)))
                .build());
    }

    private static Map<String, AttributeValue> requestItem(PrivacyRequest request, StoredSubjects subjects,
                                                           String generation, long expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(requestPk(request.id()), META));
        item.put(VISIBLE, AttributeValue.fromBool(false));
        item.put(STATUS, text(request.status().name()));
        item.put(REQUEST_TYPE, text(request.type().name()));
        item.put(SUBJECT_TYPE, text(request.subjectType().name()));
        item.put(SUBJECT_COUNT, number(request.subjectCount()));
        item.put(REGULATION, text(request.regulation().name()));
        item.put(RECEIVED_AT, instant(request.receivedAt()));
        item.put(DUE_AT, instant(request.dueAt()));
        putInstant(item, FINISHED_AT, request.finishedAt());
        item.put(REQUESTED_BY, text(request.requestedBy()));
        item.put(OWNER, text(request.owner()));
        putText(item, FINGERPRINT, request.fingerprint());
        putText(item, FAILURE_REASON, request.failureReason());
        item.put(HANDED_OVER, AttributeValue.fromBool(request.handedOver()));
        item.put(UPDATED_AT, instant(request.updatedAt()));
        item.put(SUBJECTS_FORM, text(subjects.form().name()));
        item.put(SUBJECTS_GEN, text(generation));
        item.put(SUBJECT_PARTS, number(subjects.parts().size()));
        item.put(EXPIRES_AT, number(expiresAt));
        return item;
    }

    private static PrivacyRequest toRequest(Map<String, AttributeValue> meta, List<Map<String, AttributeValue>> receipts) {
        List<Receipt> ordered = receipts.stream()
                .sorted(Comparator.comparingLong(item -> Long.parseLong(item.get(POSITION).n())))
                .map(DynamoDbPrivacyStore::toReceipt).toList();
        return new PrivacyRequest(meta.get(PK).s().substring(REQUEST_PREFIX.length()),
                RequestStatus.valueOf(string(meta, STATUS)), RequestType.valueOf(string(meta, REQUEST_TYPE)),
                SubjectType.valueOf(string(meta, SUBJECT_TYPE)), Integer.parseInt(meta.get(SUBJECT_COUNT).n()),
                Regulation.valueOf(string(meta, REGULATION)), instant(meta, RECEIVED_AT), instant(meta, DUE_AT),
                instant(meta, FINISHED_AT), string(meta, REQUESTED_BY), string(meta, OWNER),
                string(meta, FINGERPRINT), string(meta, FAILURE_REASON), bool(meta, HANDED_OVER),
                instant(meta, UPDATED_AT), ordered);
    }

    private static Map<String, AttributeValue> receiptItem(String requestId, int position, Receipt receipt,
                                                           long expiresAt) {
        Map<String, AttributeValue> item = new HashMap<>(key(requestPk(requestId), RECEIPT_PREFIX + receipt.target()));
        item.put(POSITION, number(position));
        item.put(TARGET, text(receipt.target()));
        item.put(KIND, text(receipt.kind().name()));
        item.put(STATUS, text(receipt.status().name()));
        item.put(ATTEMPTS, number(receipt.attempts()));
        putText(item, LAST_ERROR, receipt.lastError());
        putInstant(item, STARTED_AT, receipt.startedAt());
        putInstant(item, FINISHED_AT, receipt.finishedAt());
        item.put(EVIDENCE, EvidenceValues.toAttribute(receipt.evidence()));
        item.put(EXPIRES_AT, number(expiresAt));
        return item;
    }

    @SuppressWarnings("unchecked")
    private static Receipt toReceipt(Map<String, AttributeValue> item) {
        return new Receipt(string(item, TARGET), TargetKind.valueOf(string(item, KIND)),
                ReceiptStatus.valueOf(string(item, STATUS)), Integer.parseInt(item.get(ATTEMPTS).n()),
                string(item, LAST_ERROR), instant(item, STARTED_AT), instant(item, FINISHED_AT),
                (Map<String, Object>) EvidenceValues.fromAttribute(item.get(EVIDENCE)));
    }

    // ---- subjects -----------------------------------------------------------------------------------------

    @Override
    public Optional<StoredSubjects> subjects(String id) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Map<String, AttributeValue> meta = get(table, key(requestPk(id), META));
            if (!visible(meta)) {
                return Optional.empty();
            }
            int count = Integer.parseInt(meta.get(SUBJECT_PARTS).n());
            List<Map<String, AttributeValue>> parts = partItems(id, string(meta, SUBJECTS_GEN), false);
            if (parts.size() == count) { // else replaced (and the old parts deleted) while we read: read again
                return Optional.of(new StoredSubjects(StoredSubjects.Form.valueOf(string(meta, SUBJECTS_FORM)),
                        parts.stream().map(item -> item.get(DATA).b().asByteArray()).toList()));
            }
        }
        throw new IllegalStateException("the subjects of request " + id + " kept changing while being read");
    }

    /**
     * @throws IllegalStateException when there is no such request
     */
    @Override
    public void replaceSubjects(String id, StoredSubjects subjects) {
        checkParts(subjects);
        Map<String, AttributeValue> meta = get(table, key(requestPk(id), META));
        if (!visible(meta)) {
            throw new IllegalStateException("no privacy request " + id + " to replace the subjects of");
        }
        long expiresAt = instant(meta, RECEIVED_AT).plus(recordRetention).getEpochSecond();
        String generation = newGeneration();
        writeAll(table, partItems(id, generation, subjects, expiresAt).stream().map(DynamoDbPrivacyStore::put).toList());
        String superseded = string(meta, SUBJECTS_GEN);
        for (int attempt = 0; ; attempt++) {
            String previous = superseded;
            try {
                dynamo.updateItem(b -> b.tableName(table).key(key(requestPk(id), META))
                        .updateExpression("SET #form = :form, #gen = :gen, #parts = :parts")
                        .conditionExpression("#gen = :previous")
                        .expressionAttributeNames(Map.of("#form", SUBJECTS_FORM, "#gen", SUBJECTS_GEN,
                                "#parts", SUBJECT_PARTS))
                        .expressionAttributeValues(Map.of(":form", text(subjects.form().name()),
                                ":gen", text(generation), ":parts", number(subjects.parts().size()),
                                ":previous", text(previous))));
                break;
            } catch (ConditionalCheckFailedException replacedMeanwhile) {
                Map<String, AttributeValue> now = get(table, key(requestPk(id), META));
                if (now == null || attempt >= 10) {
                    deleteGeneration(id, generation);
                    throw new IllegalStateException("the subjects of request " + id + " could not be replaced",
                            replacedMeanwhile);
                }
                superseded = string(now, SUBJECTS_GEN);
            }
        }
        deleteGeneration(id, superseded);
    }

    private void deleteGeneration(String id, String generation) {
        writeAll(table, partItems(id, generation, true).stream()
                .map(item -> delete(key(item.get(PK).s(), item.get(SK).s()))).toList());
    }

    private List<Map<String, AttributeValue>> partItems(String id, String generation, boolean keysOnly) {
        QueryRequest.Builder query = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", text(requestPk(id)),
                        ":prefix", text(SUBJECTS_PREFIX + generation + "#")));
        if (keysOnly) {
            query.projectionExpression("#pk, #sk").expressionAttributeNames(Map.of("#pk", PK, "#sk", SK));
        } else {
            query.expressionAttributeNames(Map.of("#pk", PK, "#sk", SK));
        }
        return query(query.build()); // in sort key order: part 0000, 0001, ...
    }

    private static List<Map<String, AttributeValue>> partItems(String id, String generation, StoredSubjects subjects,
                                                               long expiresAt) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < subjects.parts().size(); i++) {
            Map<String, AttributeValue> item = new HashMap<>(key(requestPk(id),
                    SUBJECTS_PREFIX + generation + "#" + String.format("%04d", i)));
            item.put(DATA, AttributeValue.fromB(SdkBytes.fromByteArray(subjects.parts().get(i))));
            item.put(EXPIRES_AT, number(expiresAt));
            items.add(item);
        }
        return items;
    }

    private static void checkParts(StoredSubjects subjects) {
        if (subjects.parts().size() > MAX_PARTS) {
            throw new IllegalArgumentException("at most " + MAX_PARTS + " subject parts, not " + subjects.parts().size());
        }
        for (byte[] part : subjects.parts()) {
            if (part.length > MAX_PART_BYTES) {
                throw new IllegalArgumentException("a subject part holds at most " + MAX_PART_BYTES + " bytes, not "
                        + part.length);
            }
        }
    }

    private static String newGeneration() {
        return String.format("%012x", ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL);
    }

    // ---- confirmation codes -------------------------------------------------------------------------------

    @Override
    public Optional<ConfirmationCode> code(String requestId) {
        return Optional.ofNullable(get(table, key(requestPk(requestId), CODE))).map(item -> toCode(requestId, item));
    }

    @Override
    public Optional<ConfirmationCode> countAttempt(String requestId, int maxAttempts) {
        try {
            Map<String, AttributeValue> counted = dynamo.updateItem(b -> b.tableName(table)
                    .key(key(requestPk(requestId), CODE))
                    .updateExpression("SET #attempts = #attempts + :one")
                    .conditionExpression("#used = :false AND #attempts < :max")
                    .expressionAttributeNames(Map.of("#attempts", ATTEMPTS, "#used", USED))
                    .expressionAttributeValues(Map.of(":one", number(1), ":false", AttributeValue.fromBool(false),
                            ":max", number(maxAttempts)))
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return Optional.of(toCode(requestId, counted));
        } catch (ConditionalCheckFailedException noMoreGuesses) {
            return Optional.empty();
        }
    }

    @Override
    public boolean useCode(String requestId) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(requestPk(requestId), CODE))
                    .updateExpression("SET #used = :true")
                    .conditionExpression("#used = :false")
                    .expressionAttributeNames(Map.of("#used", USED))
                    .expressionAttributeValues(Map.of(":true", AttributeValue.fromBool(true),
                            ":false", AttributeValue.fromBool(false))));
            return true;
        } catch (ConditionalCheckFailedException usedOrAbsent) {
            return false;
        }
    }

    private static Map<String, AttributeValue> codeItem(String requestId, ConfirmationCode code) {
        Map<String, AttributeValue> item = new HashMap<>(key(requestPk(requestId), CODE));
        item.put(CODE_HASH, text(code.codeHash()));
        item.put(CODE_EXPIRES_AT, instant(code.expiresAt()));
        item.put(ATTEMPTS, number(code.attempts()));
        item.put(USED, AttributeValue.fromBool(code.used()));
        item.put(EXPIRES_AT, number(code.expiresAt().plus(CODE_KEPT_AFTER_EXPIRY).getEpochSecond()));
        return item;
    }

    private static ConfirmationCode toCode(String requestId, Map<String, AttributeValue> item) {
        return new ConfirmationCode(requestId, string(item, CODE_HASH), instant(item, CODE_EXPIRES_AT),
                Integer.parseInt(item.get(ATTEMPTS).n()), bool(item, USED));
    }

    // ---- suppressions -------------------------------------------------------------------------------------

    @Override
    public void suppress(SubjectType type, Collection<String> subjectHashes, Instant since, String requestId) {
        // One conditional put per subject: the first suppression's date stays, whoever else suppresses at once.
        join(new LinkedHashSet<>(subjectHashes).stream().map(hash -> CompletableFuture.runAsync(() -> {
            Map<String, AttributeValue> item = new HashMap<>(key(suppressionPk(type, hash), SUPPRESSION));
            item.put(SINCE, instant(since));
            putText(item, REQUEST_ID, requestId);
            try {
                dynamo.putItem(b -> b.tableName(suppressionTable).item(item)
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", PK)));
            } catch (ConditionalCheckFailedException suppressedAlready) {
                // keeps its earlier date
            }
        }, WORKERS)).toList());
    }

    @Override
    public void unsuppress(SubjectType type, Collection<String> subjectHashes) {
        writeAll(suppressionTable, new LinkedHashSet<>(subjectHashes).stream()
                .map(hash -> delete(key(suppressionPk(type, hash), SUPPRESSION))).toList());
    }

    @Override
    public Optional<Instant> suppressedSince(SubjectType type, String subjectHash) {
        return Optional.ofNullable(get(suppressionTable, key(suppressionPk(type, subjectHash), SUPPRESSION)))
                .map(item -> instant(item, SINCE));
    }

    // ---- keys, items, batches -----------------------------------------------------------------------------

    static String requestPk(String id) {
        return REQUEST_PREFIX + id;
    }

    static String suppressionPk(SubjectType type, String hash) {
        return SUPPRESSION_PREFIX + type.name() + "#" + hash;
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, text(pk), SK, text(sk));
    }

    private static boolean visible(Map<String, AttributeValue> meta) {
        return meta != null && bool(meta, VISIBLE);
    }

    private Map<String, AttributeValue> get(String tableName, Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tableName).key(key).consistentRead(true))
                .item();
        return item == null || item.isEmpty() ? null : item;
    }

    private List<Map<String, AttributeValue>> query(QueryRequest request) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.queryPaginator(request).items().forEach(items::add);
        return items;
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    private static WriteRequest delete(Map<String, AttributeValue> key) {
        return WriteRequest.builder().deleteRequest(DeleteRequest.builder().key(key).build()).build();
    }

    /** BatchWriteItem, 25 at a time, unprocessed items retried with jittered exponential backoff. */
    private void writeAll(String tableName, List<WriteRequest> requests) {
        for (int from = 0; from < requests.size(); from += BATCH) {
            Map<String, List<WriteRequest>> pending = Map.of(tableName,
                    requests.subList(from, Math.min(requests.size(), from + BATCH)));
            for (int attempt = 0; !pending.getOrDefault(tableName, List.of()).isEmpty(); attempt++) {
                if (attempt > 0) {
                    if (attempt > 10) {
                        throw new IllegalStateException("DynamoDB kept items unprocessed after 10 retries");
                    }
                    long cap = Math.min(2_000L, 25L << Math.min(attempt, 7));
                    sleep(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
                }
                Map<String, List<WriteRequest>> request = pending;
                pending = dynamo.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
            }
        }
    }

    private static <T> List<T> join(List<CompletableFuture<T>> futures) {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ---- attribute values ---------------------------------------------------------------------------------

    static AttributeValue text(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** Fixed-width UTC text with nine fractional digits: exact, and sorts as time does. */
    static AttributeValue instant(Instant value) {
        return text(INSTANT_TEXT.format(value));
    }

    private static void putText(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, text(value));
        }
    }

    private static void putInstant(Map<String, AttributeValue> item, String name, Instant value) {
        if (value != null) {
            item.put(name, instant(value));
        }
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String value = string(item, name);
        return value == null ? null : Instant.parse(value);
    }

    private static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value != null && Boolean.TRUE.equals(value.bool());
    }

    /**
     * Receipt evidence as native DynamoDB values (M, L, S, N, BOOL, NUL), so it reads in the console as it was
     * written. Whole numbers come back as {@link Long} (beyond its range, and for other numbers, as a
     * {@link BigDecimal} without trailing zeros).
     */
    static final class EvidenceValues {
        private EvidenceValues() {
        }

        static AttributeValue toAttribute(Object value) {
            if (value == null) {
                return AttributeValue.fromNul(true);
            }
            if (value instanceof String s) {
                return AttributeValue.fromS(s);
            }
            if (value instanceof Boolean b) {
                return AttributeValue.fromBool(b);
            }
            if (value instanceof Long || value instanceof Integer || value instanceof Short
                    || value instanceof Byte || value instanceof BigInteger) {
                return AttributeValue.fromN(value.toString());
            }
            if (value instanceof BigDecimal d) {
                return AttributeValue.fromN(d.toPlainString());
            }
            if (value instanceof Double || value instanceof Float) {
                double d = ((Number) value).doubleValue();
                if (!Double.isFinite(d)) {
                    throw new IllegalArgumentException("receipt evidence numbers must be finite, not " + d);
                }
                return AttributeValue.fromN(BigDecimal.valueOf(d).toPlainString());
            }
            if (value instanceof Collection<?> list) {
                return AttributeValue.fromL(list.stream().map(EvidenceValues::toAttribute).toList());
            }
            if (value instanceof Map<?, ?> map) {
                Map<String, AttributeValue> fields = new LinkedHashMap<>();
                map.forEach((k, v) -> {
                    if (!(k instanceof String name)) {
                        throw new IllegalArgumentException("receipt evidence keys must be strings");
                    }
                    fields.put(name, toAttribute(v));
                });
                return AttributeValue.fromM(fields);
            }
            throw new IllegalArgumentException("receipt evidence holds strings, numbers, booleans, lists and maps, not "
                    + value.getClass().getSimpleName());
        }

        static Object fromAttribute(AttributeValue value) {
            if (value == null) {
                return Map.of();
            }
            switch (value.type()) {
                case S:
                    return value.s();
                case N:
                    return number(value.n());
                case BOOL:
                    return value.bool();
                case NUL:
                    return null;
                case L: {
                    List<Object> list = new ArrayList<>();
                    value.l().forEach(element -> list.add(fromAttribute(element)));
                    return Collections.unmodifiableList(list);
                }
                case M: {
                    Map<String, Object> map = new LinkedHashMap<>();
                    value.m().forEach((name, element) -> map.put(name, fromAttribute(element)));
                    return Collections.unmodifiableMap(map);
                }
                default:
                    throw new IllegalStateException("unexpected evidence value of type " + value.type());
            }
        }

        private static Object number(String text) {
            BigDecimal value = new BigDecimal(text).stripTrailingZeros();
            if (value.scale() <= 0) {
                try {
                    return value.longValueExact();
                } catch (ArithmeticException beyondLong) {
                    return value;
                }
            }
            return value;
        }
    }
}
