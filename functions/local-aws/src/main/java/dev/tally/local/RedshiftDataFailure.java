package dev.tally.local;

/**
 * A statement of the local Redshift Data API failed while it ran: the message is its {@code Error} as
 * DescribeStatement reports it ({@code ERROR: ...}, as Redshift words it). Checked, so that the runner decides the
 * statement's outcome for every way a step can fail; the request that submitted it has been answered already.
 */
final class RedshiftDataFailure extends Exception {
    private static final long serialVersionUID = 1L;

    RedshiftDataFailure(String message) {
        super(message);
    }
}
