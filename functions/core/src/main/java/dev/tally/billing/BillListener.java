package dev.tally.billing;

import java.time.YearMonth;

/** Receives a bill's cost line items as they are read, in file order. */
public interface BillListener {
    /** Called once, before the first cost line, with the billing period the bill states or implies. */
    void onBillingPeriod(YearMonth period);

    void onCostLine(CostLine line);
}
