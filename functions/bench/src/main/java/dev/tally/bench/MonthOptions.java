package dev.tally.bench;

import dev.tally.testkit.GeneratorOption;
import dev.tally.testkit.GeneratorOptions;
import dev.tally.testkit.MonthSpec;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The month's options of {@code tally bench}: picocli options made from the test kit's one definition of the
 * generator's options ({@link GeneratorOptions}), with bench's own defaults for the size and the compression.
 * The others are reached with {@code --gen NAME=VALUE}; {@link MonthSpec#fromOptions} checks every value.
 */
final class MonthOptions {
    /** The generator options bench offers as options of its own, in the order of its help. */
    static final List<String> SHOWN = List.of("rows", "format", "compression", "seed", "period", "instances",
            "services", "clusters", "volumes", "fargate-share", "tag-key", "messy", "split-cost-allocation");
    /** Bench's defaults where they differ from the generator's (a month the size of a benchmark). */
    private static final Map<String, String> BENCH_DEFAULTS = Map.of("rows", "1000000", "compression", "gzip");
    /** Always passed to the generator, so the results file names them. */
    private static final List<String> ALWAYS = List.of("rows", "format", "compression", "seed");
    private static final Map<String, String> NOTES = Map.of("compression",
            " Also --packaging (--packaging parquet: DuckDB reads it with read_parquet). DuckDB cannot read zip: it"
                    + " is then not timed.");

    private MonthOptions() {
    }

    /** Adds the month's options to {@link BenchCommand}'s model, however its {@code CommandLine} is made. */
    static final class Transformer implements CommandLine.IModelTransformer {
        public Transformer() {
        }

        @Override
        public CommandSpec transform(CommandSpec spec) {
            addTo(spec);
            return spec;
        }
    }

    /**
     * Puts the month's options first in the command's options, before the benchmark's own (the help lists them in
     * that order).
     */
    static void addTo(CommandSpec spec) {
        List<OptionSpec> own = new ArrayList<>(spec.options());
        own.forEach(spec::remove);
        for (String name : SHOWN) {
            spec.addOption(option(GeneratorOptions.get(name)));
        }
        own.forEach(spec::addOption);
    }

    private static OptionSpec option(GeneratorOption g) {
        String def = ALWAYS.contains(g.name()) ? BENCH_DEFAULTS.getOrDefault(g.name(), g.defaultValue()) : null;
        String text = g.description() + (def != null ? " (default: " + def + ")."
                : g.defaultValue() != null ? " (generator default " + g.defaultValue() + ")." : ".")
                + NOTES.getOrDefault(g.name(), "");
        // picocli formats descriptions with String.format
        OptionSpec.Builder b = (g.name().equals("compression") ? OptionSpec.builder(g.flagName(), "--packaging")
                : OptionSpec.builder(g.flagName())).description(text.replace("%", "%%"));
        if (g.flag()) {
            b.type(boolean.class).arity("0");
        } else {
            b.type(String.class).paramLabel(g.paramLabel());
            if (def != null) {
                b.defaultValue(def);
            }
        }
        return b.build();
    }

    /**
     * The generator options the command was given, by the generator's own names: those of {@link #SHOWN} that were
     * set or have a default, then {@code gen} (which must not repeat them).
     */
    static Map<String, String> values(CommandSpec spec, Map<String, String> gen) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String name : SHOWN) {
            Object v = spec.findOption("--" + name).getValue();
            if (v instanceof Boolean on) {
                if (on) {
                    o.put(name, "true");
                }
            } else if (v != null) {
                o.put(name, v.toString());
            }
        }
        gen.forEach((k, v) -> {
            if (SHOWN.contains(k)) {
                throw new IllegalArgumentException("--gen " + k + ": use --" + k + " instead");
            }
            o.put(k, v);
        });
        return o;
    }
}
