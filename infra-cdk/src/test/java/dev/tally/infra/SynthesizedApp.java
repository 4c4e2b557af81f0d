package dev.tally.infra;

import dev.tally.infra.function.FunctionJars;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole app synthesized once per test JVM with the example config (offline: no account, no lookups), the
 * function jars from the repository's {@code functions/} (built earlier in the same Maven run).
 */
final class SynthesizedApp {
    static final Path REPO = Path.of(System.getProperty("tally.repo.root", "..")).toAbsolutePath().normalize();
    static final Path EXAMPLE_CONFIG = REPO.resolve("infra-cdk/config/example.json");
    /** Where the example's cloud assembly is written. */
    static final Path OUTDIR = REPO.resolve("infra-cdk/target/test-cdk.out");

    private static SynthesizedApp instance;

    final TallyStacks stacks;
    final Template history;
    final Template billing;
    final Template privacy;
    final Template monitoring;

    private SynthesizedApp() {
        deleteRecursively(OUTDIR);
        App app = newApp(Map.of(TallyApp.CONFIG_CONTEXT, EXAMPLE_CONFIG.toString()), OUTDIR);
        stacks = TallyApp.synthesize(app);
        history = Template.fromStack(stacks.history());
        billing = Template.fromStack(stacks.billing());
        privacy = Template.fromStack(stacks.privacy());
        monitoring = Template.fromStack(stacks.monitoring());
    }

    /** A fresh assembly each run: assets of earlier builds' jars would otherwise stay beside the new ones. */
    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized SynthesizedApp get() {
        if (instance == null) {
            instance = new SynthesizedApp();
        }
        return instance;
    }

    /** An app as {@link TallyApp#main} makes it, with extra context, writing its assembly to {@code outdir}. */
    static App newApp(Map<String, Object> context, Path outdir) {
        Map<String, Object> all = new HashMap<>(TallyApp.CONTEXT);
        all.put(FunctionJars.CONTEXT_KEY, REPO.resolve("functions").toString());
        all.putAll(context);
        return new App(AppProps.builder().context(all).outdir(outdir.toString()).build());
    }
}
