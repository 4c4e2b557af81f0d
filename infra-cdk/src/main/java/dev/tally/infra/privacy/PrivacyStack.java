package dev.tally.infra.privacy;

import dev.tally.aws.PrivacyEnvironment;
import dev.tally.infra.Deployment;
import dev.tally.infra.config.PrivacySection;
import dev.tally.infra.function.TallyFunction;
import dev.tally.privacy.TargetKind;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Forgetting users who ask (docs/privacy.md): the records table and key secret, the privacy API behind its two HTTP
 * APIs with the sweep, and the workers that carry each request out in every target of the config document (with
 * the distributed archive pass, {@link ArchivePass}, when the config asks for it).
 */
public final class PrivacyStack extends Stack {
    /** The service these resources belong to, in the areas file. */
    public static final String SERVICE = "tally-privacy";

    private final PrivacyRecords records;
    private final PrivacyApiFunctions api;
    private final PrivacyWorkers workers;
    private final Optional<ArchivePass> archivePass;

    public PrivacyStack(Construct scope, String id, StackProps props, Deployment deployment) {
        super(scope, id, props);
        PrivacySection privacy = deployment.config().privacy();
        records = new PrivacyRecords(this, "Records");
        Map<String, String> shared = new HashMap<>();
        shared.put(PrivacyEnvironment.TABLE, records.table().getTableName());
        shared.put(PrivacyEnvironment.KEY_SECRET_ID, records.keySecret().getSecretArn());
        shared.put(PrivacyEnvironment.RECORD_RETENTION_DAYS, String.valueOf(privacy.recordRetentionDays()));
        privacy.documentText().ifPresent(text -> shared.put(PrivacyEnvironment.CONFIG_FILE, PrivacyDocumentLayer.PATH));

        workers = new PrivacyWorkers(this, "Workers", deployment, records, shared);
        Map<String, String> withQueue = new HashMap<>(shared);
        withQueue.put(PrivacyEnvironment.PROCESSING_QUEUE_URL, workers.processing().getQueueUrl());
        api = new PrivacyApiFunctions(this, "Api", deployment, records, workers.processing(), withQueue);
        archivePass = privacy.document().filter(document -> privacy.distributedArchivePass()
                        && document.targets().stream().anyMatch(t -> t.kind() == TargetKind.S3_ARCHIVE))
                .map(document -> new ArchivePass(this, "ArchivePass", deployment, records, workers, document));

        privacy.documentText().ifPresent(text -> {
            LayerVersion layer = PrivacyDocumentLayer.create(this, "ConfigDocument", text);
            functions().forEach(function -> function.function().addLayers(layer));
        });
        CfnOutput.Builder.create(this, "JwtApiUrl").value(api.jwtApi().api().getApiEndpoint())
                .description("The privacy API for end users and admins with a JWT").build();
        CfnOutput.Builder.create(this, "IamApiUrl").value(api.iamApi().api().getApiEndpoint())
                .description("The privacy API for operators and services (SigV4, execute-api:Invoke)").build();
    }

    /** Every function of the stack, for the alarms. */
    public List<TallyFunction> functions() {
        List<TallyFunction> functions = new ArrayList<>(List.of(api.api(), api.sweep(), workers.start(),
                workers.worker()));
        archivePass.ifPresent(pass -> functions.add(pass.slices()));
        return List.copyOf(functions);
    }

    /** Every dead-letter queue of the stack, for the alarms. */
    public List<IQueue> deadLetterQueues() {
        return List.of(workers.processingDeadLetters(), workers.workDeadLetters(), api.sweepDeadLetters());
    }

    /** The distributed archive pass's state machine, when the config turns it on (for the alarms). */
    public Optional<StateMachine> archivePassStateMachine() {
        return archivePass.map(ArchivePass::stateMachine);
    }

    PrivacyRecords records() {
        return records;
    }

    PrivacyApiFunctions api() {
        return api;
    }

    PrivacyWorkers workers() {
        return workers;
    }
}
