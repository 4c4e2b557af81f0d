package dev.tally.aws.dynamodb;

import dev.tally.delivery.DeliveryLedger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link DeliveryLedger} in DynamoDB ({@link DeliveryTable}): every decision one conditional write —
 * {@code PutItem} for a claim, {@code UpdateItem} with a condition on the stored order for supersession
 * and finalization — so concurrent invocations never both win (no transactions needed: they are not
 * available on every emulator, and one item per decision does not need them). Entries expire after the
 * retention (TTL).
 */
public final class DynamoDbDeliveryLedger implements DeliveryLedger {
    private static final String STATE = "state";
    private static final String ORDER = "order";
    private static final String RUN = "runId";
    private static final String CLAIMED_AT = "claimedAt";
    private static final String NOTE = "note";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration retention;
    private final Clock clock;

    public DynamoDbDeliveryLedger(DynamoDbClient dynamo, String table, Duration retention, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.retention = retention;
        this.clock = clock;
    }

    private static String pk(DeliveryId id) {
        return "bill#" + id.scope() + "#" + (id.period() == null ? "unknown" : id.period());
    }

    private static Map<String, AttributeValue> key(DeliveryId id, String sk) {
        return Map.of(DeliveryTable.PK, s(pk(id)), DeliveryTable.SK, s(sk));
    }

    private static String deliverySk(DeliveryId id) {
        return "delivery#" + id.key();
    }

    @Override
    public Claim claim(DeliveryId id, String order, Instant now, Duration lease) {
        Map<String, AttributeValue> item = new HashMap<>(key(id, deliverySk(id)));
        item.put(STATE, s(State.CLAIMED.name()));
        item.put(ORDER, s(order));
        item.put(CLAIMED_AT, n(now.toEpochMilli()));
        item.put(DeliveryTable.EXPIRES_AT, n(now.plus(retention).getEpochSecond()));
        try {
            dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk) OR #state = :failed "
                            + "OR (#state = :claimed AND #claimedAt < :expired)")
                    .expressionAttributeNames(Map.of("#pk", DeliveryTable.PK, "#state", STATE, "#claimedAt", CLAIMED_AT))
                    .expressionAttributeValues(Map.of(":failed", s(State.FAILED.name()),
                            ":claimed", s(State.CLAIMED.name()), ":expired", n(now.minus(lease).toEpochMilli()))));
            return new Claim.Granted();
        } catch (ConditionalCheckFailedException held) {
            return new Claim.Held(get(id).orElseThrow(() -> new IllegalStateException("claim of " + id
                    + " refused, but no entry found")));
        }
    }

    @Override
    public boolean advance(DeliveryId id, String order) {
        return raise(id, "latest", order);
    }

    @Override
    public boolean claimFinal(DeliveryId id, String order) {
        return raise(id, "final", order);
    }

    private boolean raise(DeliveryId id, String sk, String order) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key(id, sk))
                    .updateExpression("SET #order = :order, #expires = :expires")
                    .conditionExpression("attribute_not_exists(#order) OR #order <= :order")
                    .expressionAttributeNames(Map.of("#order", ORDER, "#expires", DeliveryTable.EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":order", s(order),
                            ":expires", n(clock.instant().plus(retention).getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException later) {
            return false;
        }
    }

    @Override
    public void mark(DeliveryId id, State state, String runId, String note) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":state", s(state.name()));
        String update = "SET #state = :state";
        Map<String, String> names = new HashMap<>(Map.of("#state", STATE, "#note", NOTE, "#pk", DeliveryTable.PK));
        if (!runId.isEmpty()) {
            update += ", #run = :run";
            names.put("#run", RUN);
            values.put(":run", s(runId));
        }
        if (note.isEmpty()) {
            update += " REMOVE #note";
        } else {
            update += ", #note = :note";
            values.put(":note", s(note));
        }
        String expression = update;
        dynamo.updateItem(b -> b.tableName(table).key(key(id, deliverySk(id))).updateExpression(expression)
                .conditionExpression("attribute_exists(#pk)").expressionAttributeNames(names)
                .expressionAttributeValues(values));
    }

    @Override
    public Optional<Entry> get(DeliveryId id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(id, deliverySk(id)))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Entry(id, State.valueOf(item.get(STATE).s()), text(item, ORDER), text(item, RUN),
                Instant.ofEpochMilli(Long.parseLong(item.get(CLAIMED_AT).n())), text(item, NOTE)));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.s() == null ? "" : value.s();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }

    private static AttributeValue n(long value) {
        return AttributeValue.builder().n(Long.toString(value)).build();
    }

}
