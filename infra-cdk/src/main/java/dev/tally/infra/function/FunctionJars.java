package dev.tally.infra.function;

import dev.tally.infra.Repository;
import software.amazon.awscdk.services.lambda.Code;
import software.constructs.Node;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the functions' shaded jars are: {@code functions/<module>/target/<jar>} under the repository, built by
 * {@code mvn package} (or {@code verify}) before the app synthesizes. The functions directory is the context value
 * {@value #CONTEXT_KEY} if given, else the {@link Repository}'s.
 */
public final class FunctionJars {
    public static final String CONTEXT_KEY = "functionsDir";

    /** A function module's jar: the module's directory under {@code functions/} and the shade plugin's finalName. */
    public record Jar(String module, String fileName) {
    }

    public static final Jar HISTORY = new Jar("history", "tally-history.jar");
    public static final Jar RECONCILER = new Jar("reconciler", "tally-reconciler.jar");
    public static final Jar BILLING = new Jar("billing", "tally-billing.jar");
    public static final Jar PRIVACY_API = new Jar("privacy-api", "tally-privacy-api.jar");
    public static final Jar PRIVACY_WORKER = new Jar("privacy-worker", "tally-privacy-worker.jar");

    private final Path functionsDir;

    public FunctionJars(Path functionsDir) {
        this.functionsDir = functionsDir.toAbsolutePath().normalize();
    }

    /** From the app's context ({@value #CONTEXT_KEY}), else the {@code functions/} directory of the repository. */
    public static FunctionJars from(Node appNode) {
        Object dir = appNode.tryGetContext(CONTEXT_KEY);
        return new FunctionJars(dir != null ? Path.of(dir.toString()) : Repository.root().resolve("functions"));
    }

    public Path path(Jar jar) {
        return functionsDir.resolve(jar.module()).resolve("target").resolve(jar.fileName());
    }

    /** The jar as Lambda code; @throws IllegalStateException naming the missing file and how to build it */
    public Code code(Jar jar) {
        Path path = path(jar);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("function jar " + path + " does not exist: build it first with "
                    + "'mvn -B -ntp package -DskipTests -pl functions/" + jar.module() + " -am' (or 'mvn verify' from "
                    + "the repository root)");
        }
        return Code.fromAsset(path.toString());
    }
}
