package dev.tally.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tally.InputException;
import dev.tally.local.LocalService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code tally invoke}: runs one Lambda handler on this machine against the local AWS stack, like
 * {@code sam local invoke}, and prints its response. The handler is the code that runs in Lambda,
 * created through its public constructor with the environment pointing at the local emulators.
 */
@Command(name = "invoke",
        mixinStandardHelpOptions = true,
        description = {"Runs a Lambda handler locally against the local AWS stack and prints its response.",
            "Functions: ${COMPLETION-CANDIDATES}"})
final class InvokeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The functions that can be invoked, by name. */
    enum Function {
        ECS_EVENTS("ecs-events", "dev.tally.functions.history.EcsEventsHandler"),
        EC2_EVENTS("ec2-events", "dev.tally.functions.history.Ec2EventsHandler"),
        PRODUCT_AREA_PUBLISHER("product-area-publisher", "dev.tally.functions.history.ProductAreaPublisher"),
        /** Calls ECS and EC2: give their endpoints (AWS_ENDPOINT_URL_ECS/_EC2) or AWS credentials. */
        RECONCILER("reconciler", "dev.tally.functions.reconciler.ReconcilerHandler"),
        /** Rolls up the bills an S3 notification names, from the local S3, into the local S3 and warehouse. */
        BILLING_ROLLUP("billing-rollup", "dev.tally.functions.billing.BillingRollupHandler"),
        /** The privacy HTTP API: one API Gateway payload-2.0 event against a fresh local privacy stack. */
        PRIVACY_API("privacy-api", "dev.tally.functions.privacy.PrivacyApiHandler"),
        /** The scheduled privacy sweep. */
        PRIVACY_SWEEP("privacy-sweep", "dev.tally.functions.privacy.PrivacySweepHandler"),
        /** The privacy start function: an SQS batch of the processing queue. */
        PRIVACY_START("privacy-start", "dev.tally.functions.privacy.worker.StartRequestsHandler"),
        /** The privacy work function: an SQS batch of the work queue. */
        PRIVACY_WORK("privacy-work", "dev.tally.functions.privacy.worker.WorkHandler");

        final String id;
        final String handler;

        Function(String id, String handler) {
            this.id = id;
            this.handler = handler;
        }

        @Override
        public String toString() {
            return id;
        }

        static Function of(String id) {
            for (Function f : values()) {
                if (f.id.equals(id)) {
                    return f;
                }
            }
            throw new InputException("unknown function '" + id + "'; one of: ecs-events, ec2-events, "
                    + "product-area-publisher, reconciler, billing-rollup, privacy-api, privacy-sweep, privacy-start, "
                    + "privacy-work");
        }

        /** Runs against a local privacy stack. */
        boolean privacy() {
            return this == PRIVACY_API || this == PRIVACY_SWEEP || this == PRIVACY_START || this == PRIVACY_WORK;
        }

        Path jar() {
            return switch (this) {
                case RECONCILER -> FunctionJars.reconcilerJar();
                case BILLING_ROLLUP -> FunctionJars.billingJar();
                case PRIVACY_API, PRIVACY_SWEEP -> FunctionJars.privacyApiJar();
                case PRIVACY_START, PRIVACY_WORK -> FunctionJars.privacyWorkerJar();
                default -> FunctionJars.historyJar();
            };
        }
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FUNCTION",
            description = "ecs-events, ec2-events, product-area-publisher, reconciler (which calls the ECS and EC2 "
                    + "APIs of AWS_ENDPOINT_URL_ECS/_EC2, or of AWS with your credentials), billing-rollup, "
                    + "privacy-api, privacy-sweep, privacy-start or privacy-work")
    String function;

    @Parameters(index = "1", paramLabel = "EVENT", description = "The event JSON file (e.g. under events/).")
    Path event;

    @Option(names = "--dead-letters", paramLabel = "FILE", defaultValue = ".tally/dead-letters.jsonl",
            description = "Where unusable events go (default: ${DEFAULT-VALUE}).")
    Path deadLetters;

    @Option(names = "--object", arity = "2", paramLabel = "KEY FILE",
            description = "billing-rollup: put FILE into the local S3 bucket the event names, under KEY (as given, "
                    + "not URL-encoded); repeatable.")
    List<String> objects = new ArrayList<>();

    @Option(names = "--events", paramLabel = "PATH",
            description = "billing-rollup: ECS/EBS events replayed through the history functions first (as tally "
                    + "demo does).")
    Path events;

    @Option(names = "--areas", paramLabel = "FILE",
            description = "billing-rollup: the product-area map, published through the product-area-publisher first.")
    Path areas;

    @Override
    public Integer call() throws Exception {
        Function target = Function.of(function);
        read(event);
        if (target == Function.RECONCILER && !reachesEcsAndEc2(System.getenv())) {
            throw new InputException("reconciler: it calls the ECS and EC2 APIs; set AWS_ENDPOINT_URL_ECS and "
                    + "AWS_ENDPOINT_URL_EC2 (e.g. LocalStack), or AWS credentials (AWS_PROFILE or AWS_ACCESS_KEY_ID) "
                    + "and AWS_REGION to run it against an account");
        }
        Path jar = target.jar();
        if (target.privacy()) {
            return invokePrivacy(target, jar);
        }
        LocalService[] more = target == Function.BILLING_ROLLUP
                ? new LocalService[] {LocalService.S3, LocalService.POSTGRES, LocalService.REDSHIFT_DATA}
                : new LocalService[0];
        try (LocalHistoryStack stack = LocalHistoryStack.start(deadLetters, more)) {
            Map<String, String> env = new TreeMap<>(System.getenv());
            env.putAll(target == Function.BILLING_ROLLUP ? LocalBilling.prepareInvoke(stack, event, objects, events,
                    areas, spec.commandLine().getErr()) : stack.environment);
            var err = spec.commandLine().getErr();
            // The function's own output (its JSON logs, as Lambda would ship them) and the timing line.
            JsonNode response = coldInvoke(target, event, env, List.of(), deadLetters, err);
            spec.commandLine().getOut().println(JSON.writeValueAsString(response));
            err.println("tally: " + target.id + " ran from " + jar.getFileName() + " in a fresh JVM; the local history "
                    + "table now holds " + summary(stack));
            if (target == Function.BILLING_ROLLUP) {
                err.println("tally: the runs went to s3://" + LocalBilling.OUTPUT_BUCKET + " and the warehouse schema "
                        + LocalBilling.SCHEMA + " of the local stack, which stops now: " + LocalBilling.outputs(stack));
            }
        }
        return 0;
    }

    /** A privacy function against a fresh local privacy stack (as {@code tally serve} runs it, state in a temp dir). */
    private int invokePrivacy(Function target, Path jar) throws IOException, InterruptedException {
        Path state = Files.createTempDirectory("tally-invoke-privacy-");
        try (LocalPrivacyStack stack = LocalPrivacyStack.start(state, Optional.empty(), Optional.empty())) {
            Map<String, String> env = new TreeMap<>(System.getenv());
            env.putAll(stack.environment);
            var err = spec.commandLine().getErr();
            JsonNode response = coldInvoke(target, event, env, List.of(), deadLetters, err);
            spec.commandLine().getOut().println(JSON.writeValueAsString(response));
            err.println("tally: " + target.id + " ran from " + jar.getFileName() + " in a fresh JVM against a local "
                    + "privacy stack, which stops now");
        }
        return 0;
    }

    /**
     * Runs a function's handler from its own jar in a fresh JVM ({@link ColdInvoke}) and returns its response;
     * the child's output (its logs, the cold-start and memory lines) goes to {@code err}.
     *
     * @param jvmArgs options for the child JVM (-Xmx, say)
     */
    static JsonNode coldInvoke(Function target, Path event, Map<String, String> env, List<String> jvmArgs,
                               Path deadLetters, java.io.PrintWriter err) throws IOException, InterruptedException {
        Path response = Files.createTempFile("tally-invoke-", ".json");
        List<String> command = new ArrayList<>(List.of(javaExecutable()));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", target.jar() + File.pathSeparator + FunctionJars.runnerClasses(),
                ColdInvoke.class.getName(), target.handler, event.toAbsolutePath().toString(),
                deadLetters.toAbsolutePath().toString(), response.toString()));
        ProcessBuilder child = new ProcessBuilder(command);
        child.environment().clear();
        child.environment().putAll(env);
        child.redirectErrorStream(true);
        Process process = child.start();
        try (InputStream output = process.getInputStream()) {
            output.transferTo(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    err.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    err.write(new String(b, off, len, StandardCharsets.UTF_8));
                    err.flush();
                }
            });
        }
        int code = process.waitFor();
        if (code != 0) {
            throw new InputException(target.id + " failed (exit " + code + "); its output is above");
        }
        JsonNode parsed = JSON.readTree(response.toFile());
        Files.deleteIfExists(response);
        return parsed;
    }

    private static boolean reachesEcsAndEc2(Map<String, String> env) {
        boolean endpoints = (env.containsKey("AWS_ENDPOINT_URL_ECS") && env.containsKey("AWS_ENDPOINT_URL_EC2"))
                || env.containsKey("AWS_ENDPOINT_URL");
        boolean account = (env.containsKey("AWS_PROFILE") || env.containsKey("AWS_ACCESS_KEY_ID"))
                && (env.containsKey("AWS_REGION") || env.containsKey("AWS_DEFAULT_REGION"));
        return endpoints || account;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String summary(LocalHistoryStack stack) {
        Map<String, Integer> counts = new TreeMap<>();
        stack.dynamo.scanPaginator(b -> b.tableName(LocalHistoryStack.TABLE)).items().forEach(item -> {
            String pk = item.get("pk").s();
            String kind = pk.contains("#") ? pk.substring(0, pk.indexOf('#')) : pk;
            counts.merge(kind, 1, Integer::sum);
        });
        return counts.isEmpty() ? "nothing" : counts.toString();
    }

    private static void read(Path file) {
        try {
            Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }
}
