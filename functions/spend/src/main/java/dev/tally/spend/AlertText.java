package dev.tally.spend;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/** How an alert reads, in a message title and body: the one wording every channel sends. */
public final class AlertText {
    private AlertText() {
    }

    /** Money to cents with thousands separators: {@code 12,345.67}, {@code -3.00}. */
    public static String money(BigDecimal amount) {
        DecimalFormat format = new DecimalFormat("#,##0.00", DecimalFormatSymbols.getInstance(Locale.ROOT));
        format.setRoundingMode(RoundingMode.HALF_EVEN);
        return format.format(amount);
    }

    /** A fraction as a signed percentage: {@code +25.0%}. */
    public static String percent(BigDecimal fraction) {
        BigDecimal percent = fraction.movePointRight(2).setScale(1, RoundingMode.HALF_EVEN);
        return (percent.signum() > 0 ? "+" : "") + percent.toPlainString() + "%";
    }

    /** {@code Tally: search up 4,200.00 (+35.0%) in 2017-03 (forecast)} — at most 100 characters (SNS's limit). */
    public static String title(Alert alert) {
        Change c = alert.change();
        String title = "Tally: " + alert.subject().label() + " " + (alert.direction() == Change.Direction.UP ? "up "
                : "down ") + money(c.delta().abs()) + c.relative().map(r -> " (" + percent(r) + ")").orElse("")
                + " in " + alert.period() + (alert.forecast() ? " (forecast)" : "");
        return title.length() <= 100 ? title : title.substring(0, 99) + "…";
    }

    public static String body(Alert alert) {
        Change c = alert.change();
        StringBuilder text = new StringBuilder();
        text.append(alert.subject().kind().description()).append(' ').append(alert.subject().label()).append(": ")
                .append(money(c.previous())).append(" in ").append(alert.period().minusMonths(1)).append(", ")
                .append(money(c.current())).append(" in ").append(alert.period())
                .append(alert.forecast() ? " (month-end forecast)" : "").append(", ")
                .append(c.delta().signum() > 0 ? "+" : "").append(money(c.delta()))
                .append(c.relative().map(r -> " (" + percent(r) + ")").orElse(" (new)")).append('\n');
        if (!alert.products().isEmpty()) {
            text.append("moved most:");
            alert.products().forEach(p -> text.append("\n  ").append(p.subject().first()).append(' ')
                    .append(p.delta().signum() > 0 ? "+" : "").append(money(p.delta())));
            text.append('\n');
        }
        if (!alert.resources().isEmpty()) {
            text.append("untagged resources that moved most:");
            alert.resources().forEach(r -> text.append("\n  ").append(r.subject().label()).append(' ')
                    .append(r.delta().signum() > 0 ? "+" : "").append(money(r.delta())));
            text.append('\n');
        }
        text.append(alert.forecast() ? "the month is forecast at " : "the month came to ")
                .append(money(alert.monthTotal()));
        if (!alert.steps().isEmpty()) {
            text.append("; run rate stepped this month: ").append(String.join(", ", alert.steps()));
        }
        return text.append('\n').toString();
    }
}
