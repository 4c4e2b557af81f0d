package dev.tally.testkit;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Generates one realistic billing month into a directory:
 * <ul>
 *   <li>{@code bill-YYYY-MM.csv} (or {@code .csv.gz}, or {@code .csv.zip} holding one entry {@code bill-YYYY-MM.csv})
 *       in the spec's format, written row by row as the month is simulated hour by hour;</li>
 *   <li>{@code events.jsonl} (or {@code .jsonl.gz}): EventBridge events, one JSON object per line (ECS task
 *       and container-instance state changes, CloudTrail AttachVolume/DetachVolume, EC2 terminations, plus
 *       the requested duplicates, noise and malformed lines), including events from before the month for
 *       what was already running when it began;</li>
 *   <li>{@code areas.json}: service → product area map ({@code "cluster/service"} keys first, some groups
 *       deliberately unmapped);</li>
 *   <li>{@code manifest.json}: see {@link Manifest}.</li>
 * </ul>
 * Memory is bounded by the number of entities (instances, volumes, services, running tasks), not by the
 * number of rows or events. The output is a pure function of the {@link MonthSpec}: same spec, same bytes.
 */
public final class MonthGenerator {
    private MonthGenerator() {
    }

    /**
     * @param spec   what to generate
     * @param outDir directory to write into (created if missing; existing files of the same names are replaced)
     * @return the manifest, also written to {@code outDir/manifest.json}
     */
    public static Manifest generate(MonthSpec spec, Path outDir) throws IOException {
        return new Simulation(spec).run(outDir);
    }
}
