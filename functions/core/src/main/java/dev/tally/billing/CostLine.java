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
 * @param usageStart  usage window start, UTC epoch millis (inclusive)
 * @param usageEnd    usage window end, UTC epoch millis (exclusive)
 * @param cost        unblended (DBR/CUR) or billed (FOCUS) cost at ten decimal places
 */
public record CostLine(
        long lineNumber,
        String invoiceId,
        String product,
        String resourceId,
        String tag,
        long usageStart,
        long usageEnd,
        BigDecimal cost) {
}
