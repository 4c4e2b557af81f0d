package dev.tally.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PASS or FAIL, and why. PASS needs every run to have succeeded (an OutOfMemoryError under the heap limit is a
 * failure), every total to equal the manifest's exactly (Tally's from each run, DuckDB's from each run), and,
 * when DuckDB was timed, the ratio of Tally's median wall time to DuckDB's to be at most {@code maxRatio}.
 * Without DuckDB the speed is not checked, and the verdict says so.
 */
public record Verdict(boolean pass, List<String> reasons) {

    /**
     * @param manifestTotal  the generator's exact total of the cost line items
     * @param tallyTotals    each successful Tally run's total
     * @param duckdbTotals   each successful DuckDB run's total (empty when DuckDB did not run)
     * @param tallyFailures  the failed Tally runs' errors
     * @param duckdbFailures the failed DuckDB runs' errors
     * @param ratio          Tally median / DuckDB median, or null when DuckDB was not timed
     * @param maxRatio       the largest acceptable ratio
     * @param duckdbSkipped  why DuckDB was not timed (e.g. {@code --no-duckdb}), or null if it was meant to run
     */
    public record Inputs(BigDecimal manifestTotal, List<BigDecimal> tallyTotals, List<BigDecimal> duckdbTotals,
                         List<String> tallyFailures, List<String> duckdbFailures, Double ratio, double maxRatio,
                         String duckdbSkipped) {
    }

    public static Verdict decide(Inputs in) {
        List<String> fail = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int tallyRuns = in.tallyTotals().size() + in.tallyFailures().size();
        if (!in.tallyFailures().isEmpty()) {
            fail.add(in.tallyFailures().size() + " of " + tallyRuns + " Tally runs failed: "
                    + in.tallyFailures().get(0));
        }
        if (in.tallyTotals().isEmpty()) {
            fail.add("no Tally run succeeded");
        }
        for (BigDecimal t : in.tallyTotals()) {
            if (t.compareTo(in.manifestTotal()) != 0) {
                fail.add("Tally total " + t.toPlainString() + " differs from the manifest's "
                        + in.manifestTotal().toPlainString());
                break;
            }
        }
        if (in.duckdbSkipped() == null) {
            int duckRuns = in.duckdbTotals().size() + in.duckdbFailures().size();
            if (!in.duckdbFailures().isEmpty()) {
                fail.add(in.duckdbFailures().size() + " of " + duckRuns + " DuckDB runs failed: "
                        + in.duckdbFailures().get(0));
            }
            for (BigDecimal t : in.duckdbTotals()) {
                if (t.compareTo(in.manifestTotal()) != 0) {
                    fail.add("DuckDB total " + t.toPlainString() + " differs from the manifest's "
                            + in.manifestTotal().toPlainString());
                    break;
                }
            }
            if (in.ratio() == null) {
                fail.add("the ratio could not be measured");
            } else if (in.ratio() > in.maxRatio()) {
                fail.add(String.format(Locale.ROOT, "Tally/DuckDB wall-time ratio %.2f > %.2f",
                        in.ratio(), in.maxRatio()));
            } else {
                notes.add(String.format(Locale.ROOT, "Tally/DuckDB wall-time ratio %.2f <= %.2f",
                        in.ratio(), in.maxRatio()));
            }
        } else {
            notes.add("speed not checked: DuckDB not timed (" + in.duckdbSkipped() + ")");
        }
        if (fail.isEmpty()) {
            notes.add(0, "totals agree with the manifest");
            return new Verdict(true, notes);
        }
        return new Verdict(false, fail);
    }

    public String line() {
        return (pass ? "PASS" : "FAIL") + ": " + String.join("; ", reasons);
    }
}
