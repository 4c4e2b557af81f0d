package dev.tally.cli;

import dev.tally.InputException;
import dev.tally.allocation.UpfrontLedger;
import dev.tally.billing.Bill;
import dev.tally.billing.BillFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tally upfront}: the upfront ledger entries for the sign-up fees of a DBR bill (allocation contract §8). */
@Command(name = "upfront",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the upfront ledger entries for the sign-up charges (reserved-instance upfront fees) of a DBR bill,",
            "one per charge, starting in the bill's period: a file for tally rollup --cost-basis amortized --upfront."})
final class UpfrontCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--billing", required = true, paramLabel = "FILE",
            description = "The DBR bill (plain, .gz or .zip), or a directory of its parts.")
    Path billing;

    @Option(names = "--months", required = true, paramLabel = "N",
            description = "The term to spread each fee over, in months (12 for a one-year reservation).")
    int months;

    @Option(names = "--tag-key", defaultValue = "product_area", paramLabel = "KEY",
            description = "Cost-allocation tag naming the product area (default: ${DEFAULT-VALUE}).")
    String tagKey;

    @Override
    public Integer call() {
        if (months < 1) {
            throw new InputException("--months must be at least 1");
        }
        UpfrontLedger.Found found = UpfrontLedger.ofSignUpCharges(Bill.of(billing), tagKey, months);
        if (found.format() != BillFormat.DBR) {
            throw new InputException(billing + ": a " + found.format().id() + " bill spreads its upfront fees in its "
                    + "own amortization columns; the upfront ledger is for DBR bills");
        }
        spec.commandLine().getOut().println(found.ledger().toJson());
        if (found.ledger().entries().isEmpty()) {
            spec.commandLine().getErr().println("tally upfront: the bill has no sign-up charges");
        }
        return 0;
    }
}
