package dev.tally.billing;

/** The bill formats the readers understand, recognised from the header row (allocation contract §1). */
public enum BillFormat {
    /** Detailed Billing Report with resources and tags. */
    DBR("dbr"),
    /** Cost and Usage Report, legacy column names ({@code lineItem/UnblendedCost}). */
    CUR("cur"),
    /** CUR 2.0 exported as CSV (snake_case columns, tags as a JSON map). */
    CUR2("cur2"),
    /** FinOps FOCUS 1.x CSV. */
    FOCUS("focus");

    private final String id;

    BillFormat(String id) {
        this.id = id;
    }

    /** The name used in {@code summary.json}. */
    public String id() {
        return id;
    }
}
