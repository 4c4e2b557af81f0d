package dev.tally.billing;

import java.math.BigDecimal;

/**
 * One cost line item of a bill, as the allocation engine needs it.
 *
 * @param lineNumber  line of the file where the row starts (header is line 1)
 * @param invoiceId   invoice id as written ({@code Estimated} or empty for estimated bills)
 * @param product     product name, never empty (rows without one are not cost line items)
 * @param resourceId  resource id, empty when the row names none (shared charges)
 * @param tag         value of the product-area tag, empty when the row has none
 * @param usage       for a row without a resource, whether it is usage by its line item type or charge
 *                    category (§3 rule 5: usage is never a shared charge); false for DBR rows, bills without a
 *                    type column, and rows with a resource (no rule asks)
 * @param usageStart  usage window start, UTC epoch millis (inclusive); the period's start when the bill
 *                    has no usage start column
 * @param usageEnd    usage window end, UTC epoch millis (exclusive); the period's end when the bill has
 *                    no usage end column
 * @param cost        unblended (DBR/CUR) or billed (FOCUS) cost at ten decimal places (rounded half-even)
 */
public record CostLine(
        long lineNumber,
        String invoiceId,
        String product,
        String resourceId,
        String tag,
        boolean usage,
        long usageStart,
        long usageEnd,
        BigDecimal cost) {
}
