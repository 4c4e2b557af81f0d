package dev.tally.testkit;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The generator's options, defined once: {@link MonthSpec#fromOptions} accepts exactly these names,
 * {@code tally generate --help} lists them ({@link #usage()}), and {@code tally bench} makes its options for the
 * month from them.
 */
public final class GeneratorOptions {
    private GeneratorOptions() {
    }

    /** Every option, in the order the help lists them. */
    public static final List<GeneratorOption> ALL = List.of(
            new GeneratorOption("period", "YYYY-MM", "Billing period", s -> s.period().toString()),
            new GeneratorOption("format", "dbr|cur|cur2|focus", "Bill format", s -> s.format().id()),
            new GeneratorOption("compression", "none|gzip|zip|parquet",
                    "Bill compression; parquet: a Snappy Parquet file in AWS's types (cur2, focus)",
                    s -> s.compression().name().toLowerCase(Locale.ROOT)),
            new GeneratorOption("seed", "N", "Generator seed: the same options and seed give the same bytes",
                    s -> Long.toString(s.seed())),
            new GeneratorOption("rows", "N", "Approximate cost line items", s -> Integer.toString(s.targetRows())),
            new GeneratorOption("instances", "N", "EC2 instances at the start of the month, 0: derived from --rows",
                    s -> Integer.toString(s.instances())),
            new GeneratorOption("services", "N", "ECS services, 0: derived from --rows", s -> Integer.toString(s.services())),
            new GeneratorOption("clusters", "N", "ECS clusters, 0: derived from --rows", s -> Integer.toString(s.clusters())),
            new GeneratorOption("volumes", "N", "EBS volumes, 0: derived from --rows", s -> Integer.toString(s.volumes())),
            new GeneratorOption("fargate-share", "F", "Fraction of services on Fargate",
                    s -> Double.toString(s.fargateShare())),
            new GeneratorOption("estimated", null, "Invoice id Estimated (DBR) or empty (the others) on every row",
                    null),
            new GeneratorOption("tag-key", "KEY", "Product-area tag key", MonthSpec::tagKey),
            new GeneratorOption("messy", null,
                    "Dirty events: 1% duplicates, shuffled, 2% noise, 3 malformed event lines", null),
            new GeneratorOption("duplicate-rate", "F", "Probability that an event line is delivered twice",
                    s -> Double.toString(s.events().duplicateRate())),
            new GeneratorOption("shuffle", null, "Deliver the events out of order", null),
            new GeneratorOption("shuffle-window", "N", "Lines the shuffle draws from",
                    s -> Integer.toString(s.events().shuffleWindow())),
            new GeneratorOption("noise-rate", "F", "Probability of a noise event after an event",
                    s -> Double.toString(s.events().noiseRate())),
            new GeneratorOption("malformed-events", "N", "Event lines that are not valid JSON",
                    s -> Integer.toString(s.events().malformedEvents())),
            new GeneratorOption("events-gzip", null, "Write events.jsonl.gz", null),
            new GeneratorOption("malformed-rows", "N", "Malformed bill rows to inject",
                    s -> Integer.toString(s.malformedRows())),
            new GeneratorOption("no-resource-ids", null, "No resource column (a CUR exported without resource ids)",
                    null),
            new GeneratorOption("focus-nulls", null, "FOCUS only: empty cells (and empty Tags) written as NULL", null),
            new GeneratorOption("extra-decimals", null,
                    "About 2% of costs with more than 10 decimal places, some as 4.999E-11", null),
            new GeneratorOption("stray-period-rows", "N",
                    "Cost rows of the months before and after, not line items of the month",
                    s -> Integer.toString(s.strayPeriodRows())),
            new GeneratorOption("commitments", null, "Reservations and savings plans with their amortization (DBR: "
                    + "sign-up charges, upfront.json); the manifest gives the amortized total", null),
            new GeneratorOption("parquet-times", "timestamp|int96|string",
                    "Parquet: time columns as TIMESTAMP (micros, UTC), INT96, or the CSV's text",
                    s -> s.parquet().times().name().toLowerCase(Locale.ROOT)),
            new GeneratorOption("parquet-tags", "map|json", "Parquet: tag columns as MAP<string,string> or JSON text",
                    s -> s.parquet().tags().name().toLowerCase(Locale.ROOT)),
            new GeneratorOption("parquet-row-group-bytes", "N", "Parquet: row group size in bytes",
                    s -> Long.toString(s.parquet().rowGroupBytes())),
            new GeneratorOption("double-amounts", null, "Amounts as a Parquet bill holds them (binary doubles): "
                    + "extra-decimals amounts written as the shortest decimal of their double (implied by parquet)",
                    null),
            new GeneratorOption("split-cost-allocation", null, "CUR and CUR 2.0: split cost allocation data, a vCPU "
                    + "and a memory split line item per ECS task on EC2 and hour (splitLineItem/ columns)", null),
            new GeneratorOption("ecs-tag-share", "F", "Split cost allocation: share of the tasks whose split line "
                    + "items carry the ECS tags aws:ecs:clusterName and aws:ecs:serviceName",
                    s -> Double.toString(s.ecsTagShare())),
            new GeneratorOption("unrecorded-task-share", "F", "Split cost allocation: share of the EC2 tasks with "
                    + "no events (known only from the bill's split line items)",
                    s -> Double.toString(s.unrecordedTaskShare())));

    /** @return the names of {@link #ALL}, in order */
    public static Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        ALL.forEach(o -> names.add(o.name()));
        return java.util.Collections.unmodifiableSet(names);
    }

    /** @throws NoSuchElementException when there is no such option */
    public static GeneratorOption get(String name) {
        for (GeneratorOption o : ALL) {
            if (o.name().equals(name)) {
                return o;
            }
        }
        throw new NoSuchElementException("no generator option '" + name + "'");
    }

    /** @return {@code tally generate}'s option lines, one per option: {@code --name LABEL  what (default)} */
    public static List<String> usageLines() {
        List<String> lines = new ArrayList<>();
        for (GeneratorOption o : ALL) {
            String left = "  " + o.flagName() + (o.flag() ? "" : " " + o.paramLabel());
            String def = o.defaultValue();
            lines.add(String.format(Locale.ROOT, "%-32s %s", left, o.description()
                    + (def == null ? "" : " (default " + def + ")")));
        }
        return lines;
    }
}
