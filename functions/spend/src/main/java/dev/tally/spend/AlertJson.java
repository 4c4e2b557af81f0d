package dev.tally.spend;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.money.Money;

import java.util.List;

/** An alert as JSON: the figures exact, the wording of {@link AlertText} beside them. */
public final class AlertJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertJson() {
    }

    public static ObjectNode of(Alert alert) {
        Change c = alert.change();
        ObjectNode node = JSON.createObjectNode();
        node.put("billing_period", alert.period().toString());
        node.put("kind", alert.subject().kind().name().toLowerCase(java.util.Locale.ROOT));
        node.put("subject", alert.subject().label());
        node.put("direction", alert.direction().name().toLowerCase(java.util.Locale.ROOT));
        node.put("previous", Money.format(Money.round(c.previous())));
        node.put("current", Money.format(Money.round(c.current())));
        node.put("delta", Money.format(Money.round(c.delta())));
        c.relative().ifPresentOrElse(r -> node.put("relative", r.toPlainString()), () -> node.putNull("relative"));
        node.put("forecast", alert.forecast());
        node.put("month_total", Money.format(Money.round(alert.monthTotal())));
        changes(node.putArray("products"), alert.products());
        changes(node.putArray("untagged_resources"), alert.resources());
        ArrayNode steps = node.putArray("stepped_products");
        alert.steps().forEach(steps::add);
        node.put("title", AlertText.title(alert));
        node.put("text", AlertText.body(alert));
        return node;
    }

    private static void changes(ArrayNode array, List<Change> changes) {
        for (Change change : changes) {
            array.addObject().put("name", change.subject().kind() == Subject.Kind.RESOURCE ? change.subject().second()
                            : change.subject().first())
                    .put("previous", Money.format(Money.round(change.previous())))
                    .put("current", Money.format(Money.round(change.current())))
                    .put("delta", Money.format(Money.round(change.delta())));
        }
    }

    public static String line(Alert alert) {
        return of(alert).toString();
    }
}
