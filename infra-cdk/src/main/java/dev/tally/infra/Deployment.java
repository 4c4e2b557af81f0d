package dev.tally.infra;

import dev.tally.infra.config.TallyConfig;
import dev.tally.infra.function.FunctionJars;
import dev.tally.infra.function.LogRetention;
import dev.tally.infra.tagging.AreasFile;
import software.amazon.awscdk.services.logs.RetentionDays;

/** What every stack is built from: the checked config, the areas file and where the function jars are. */
public record Deployment(TallyConfig config, AreasFile areas, FunctionJars jars) {
    public RetentionDays logRetention() {
        return LogRetention.of(config.logRetentionDays());
    }
}
