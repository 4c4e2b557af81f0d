package dev.tally.infra;

import dev.tally.infra.config.TallyConfig;
import dev.tally.infra.function.FunctionJars;
import dev.tally.infra.tagging.AreasFile;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The CDK app ({@code cdk synth} runs it, see cdk.json): the config file named by the context value
 * {@value #CONFIG_CONTEXT} ({@value #DEFAULT_CONFIG} unless given; a relative path is relative to {@code infra-cdk/}) into
 * {@link TallyStacks}. Synthesis fails, naming each, if any construct has an error annotation (an untagged resource,
 * an unsuppressed cdk-nag finding).
 */
public final class TallyApp {
    public static final String CONFIG_CONTEXT = "config";
    public static final String DEFAULT_CONFIG = "config/example.json";
    /**
     * Feature flags the app relies on, here rather than in cdk.json so tests synthesize the same app: aspects run in
     * priority order (the tag check sees the applied tags), access logs are delivered under a bucket policy, and the
     * billing stack's reference to the history table is a strong one (an export the history stack cannot drop).
     */
    static final Map<String, Object> CONTEXT = Map.of(
            "@aws-cdk/core:aspectStabilization", true,
            "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true,
            "@aws-cdk/core:defaultCrossStackReferences", "strong");

    private static final String ERROR = "aws:cdk:error";

    private TallyApp() {
    }

    public static void main(String[] args) {
        synthesize(new App(AppProps.builder().context(CONTEXT).build()));
    }

    /**
     * Builds the stacks into {@code app} and writes the cloud assembly (to the app's outdir: {@code CDK_OUTDIR} under
     * the CLI). @throws IllegalStateException if a construct has an error annotation
     */
    public static TallyStacks synthesize(App app) {
        TallyStacks stacks = build(app);
        app.synth();
        failOnErrors(app);
        return stacks;
    }

    /** The stacks of the app, from the config its context names. */
    public static TallyStacks build(App app) {
        Object configPath = app.getNode().tryGetContext(CONFIG_CONTEXT);
        Path path = Path.of(configPath != null ? configPath.toString() : DEFAULT_CONFIG);
        TallyConfig config = TallyConfig.load(path.isAbsolute() ? path : Repository.infraDir().resolve(path));
        Deployment deployment = new Deployment(config, AreasFile.read(config.areasFile()),
                FunctionJars.from(app.getNode()));
        return TallyStacks.create(app, deployment);
    }

    /**
     * After synthesis (when the aspects have run): every error annotation of the app's constructs, each with its
     * construct path. @throws IllegalStateException listing them
     */
    static void failOnErrors(App app) {
        List<String> errors = app.getNode().findAll().stream()
                .flatMap(construct -> construct.getNode().getMetadata().stream()
                        .filter(entry -> ERROR.equals(entry.getType()))
                        .map(entry -> "/" + construct.getNode().getPath() + ": " + entry.getData()))
                .toList();
        if (!errors.isEmpty()) {
            throw new IllegalStateException("synthesis found " + errors.size() + " error(s):\n" + String.join("\n", errors));
        }
    }
}
