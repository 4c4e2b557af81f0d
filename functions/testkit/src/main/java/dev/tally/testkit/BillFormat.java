package dev.tally.testkit;

import java.util.Locale;

/** The billing file formats the generator can write (see spec §1). */
public enum BillFormat {
    /** Detailed Billing Report with resources and tags. */
    DBR("dbr"),
    /** Cost and Usage Report, legacy ({@code lineItem/...} columns). */
    CUR("cur"),
    /** CUR 2.0 from Data Exports (snake_case columns, JSON map columns). */
    CUR2("cur2"),
    /** FOCUS 1.x. */
    FOCUS("focus");

    private final String id;

    BillFormat(String id) {
        this.id = id;
    }

    /** @return the lower-case name used in the spec's summary ({@code dbr}, {@code cur}, {@code cur2}, {@code focus}) */
    public String id() {
        return id;
    }

    /** Accepts the id or the constant name, any case ({@code cur2}, {@code CUR2}, {@code cur-2.0} is not accepted). */
    public static BillFormat parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (BillFormat f : values()) {
            if (f.id.equals(t)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown bill format '" + text + "' (expected dbr, cur, cur2 or focus)");
    }
}
