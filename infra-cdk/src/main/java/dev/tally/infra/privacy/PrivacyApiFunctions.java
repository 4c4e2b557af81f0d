package dev.tally.infra.privacy;

import dev.tally.functions.privacy.PrivacyApiConfig;
import dev.tally.functions.privacy.PrivacyApiHandler;
import dev.tally.functions.privacy.PrivacySweepHandler;
import dev.tally.infra.Deployment;
import dev.tally.infra.config.PrivacySection;
import dev.tally.infra.function.FunctionJars;
import dev.tally.infra.function.TallyFunction;
import dev.tally.infra.messaging.Queues;
import dev.tally.infra.nag.Nag;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpIamAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizer;
import software.amazon.awscdk.aws_apigatewayv2_authorizers.HttpJwtAuthorizerProps;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.ses.EmailIdentity;
import software.amazon.awscdk.services.ses.Identity;
import software.amazon.awscdk.services.sqs.IQueue;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The privacy API (docs/privacy.md) and its sweep: one function behind two HTTP APIs — one with a JWT authorizer
 * (end users, and admins by the {@code adminScope} scope), one with the IAM authorizer (operators and internal
 * services, SigV4-signed, admins when on {@code adminPrincipals}) — since an HTTP API route takes one authorizer;
 * the sweep on a schedule (overdue requests, lapsed codes, requests to hand over again). Confirmation codes go out
 * through SES from {@code codeFromAddress}.
 *
 * <p>No SnapStart for the API function: its init reads the key secret the hashes and sealed ids derive from, and
 * draws confirmation codes from a {@code SecureRandom}; a snapshot would keep the one and replay the other's state in
 * every restored sandbox.
 */
final class PrivacyApiFunctions extends Construct {
    static final Duration API_TIMEOUT = Duration.seconds(15);
    static final int API_MEMORY_MB = 1024;
    static final Duration SWEEP_TIMEOUT = Duration.minutes(5);
    static final int SWEEP_MEMORY_MB = 1024;

    private final TallyFunction api;
    private final TallyFunction sweep;
    private final PrivacyHttpApi jwtApi;
    private final PrivacyHttpApi iamApi;
    private final Queue sweepDeadLetters;

    PrivacyApiFunctions(Construct scope, String id, Deployment deployment, PrivacyRecords records, IQueue processing,
                        Map<String, String> shared) {
        super(scope, id);
        PrivacySection privacy = deployment.config().privacy();
        Map<String, String> env = new HashMap<>(shared);
        env.put(PrivacyApiConfig.CODE_FROM, privacy.codeFromAddress());
        privacy.sesConfigurationSet().ifPresent(set -> env.put(PrivacyApiConfig.SES_CONFIGURATION_SET, set));
        env.put(PrivacyApiConfig.ADMIN_PRINCIPALS, String.join(",", privacy.adminPrincipals()));
        env.put(PrivacyApiConfig.ADMIN_SCOPE, privacy.adminScope());

        api = new TallyFunction(this, "Api", new TallyFunction.Spec(
                "Tally privacy API: deletion and suppression requests, confirmation, receipts",
                deployment.jars().code(FunctionJars.PRIVACY_API), PrivacyApiHandler.class, API_MEMORY_MB, API_TIMEOUT,
                env, deployment.logRetention()));
        sweep = new TallyFunction(this, "Sweep", new TallyFunction.Spec(
                "Tally privacy sweep: overdue requests, lapsed codes, requests handed over again",
                deployment.jars().code(FunctionJars.PRIVACY_API), PrivacySweepHandler.class, SWEEP_MEMORY_MB,
                SWEEP_TIMEOUT, env, deployment.logRetention()));
        for (TallyFunction function : new TallyFunction[] {api, sweep}) {
            records.grantReadWrite(function);
            processing.grantSendMessages(function.function());
        }
        sendCodes(privacy);

        sweepDeadLetters = Queues.deadLetterQueue(this, "SweepDeadLetters");
        Nag.suppress(sweepDeadLetters, "AwsSolutions-SQS3", "This is the dead-letter queue of the sweep schedule's "
                + "target (EventBridge), which cdk-nag does not recognize as one");
        Rule.Builder.create(this, "SweepSchedule")
                .description("Runs the Tally privacy sweep")
                .schedule(Schedule.rate(Duration.minutes(privacy.sweepEveryMinutes())))
                .targets(List.of(LambdaFunction.Builder.create(sweep.function())
                        .retryAttempts(2)
                        .maxEventAge(Duration.hours(1))
                        .deadLetterQueue(sweepDeadLetters)
                        .build()))
                .build();

        HttpJwtAuthorizer jwt = new HttpJwtAuthorizer("JwtAuthorizer", privacy.jwtIssuer(),
                HttpJwtAuthorizerProps.builder().jwtAudience(privacy.jwtAudiences()).build());
        jwtApi = new PrivacyHttpApi(this, "JwtApi", api.function(), new PrivacyHttpApi.Settings(
                "Tally privacy API for end users and admins with a JWT", jwt, privacy.rateLimit(),
                privacy.burstLimit(), deployment.logRetention()));
        iamApi = new PrivacyHttpApi(this, "IamApi", api.function(), new PrivacyHttpApi.Settings(
                "Tally privacy API for operators and services (SigV4)", new HttpIamAuthorizer(), privacy.rateLimit(),
                privacy.burstLimit(), deployment.logRetention()));
    }

    /** SES SendEmail from the code identity (created here if the config says so), and its configuration set. */
    private void sendCodes(PrivacySection privacy) {
        Stack stack = Stack.of(this);
        if (privacy.createSesIdentity()) {
            EmailIdentity.Builder.create(this, "CodeIdentity")
                    .identity(privacy.sesIdentity().contains("@") ? Identity.email(privacy.sesIdentity())
                            : Identity.domain(privacy.sesIdentity()))
                    .build();
        }
        String ses = "arn:" + stack.getPartition() + ":ses:" + stack.getRegion() + ":" + stack.getAccount() + ":";
        List<String> resources = new ArrayList<>(List.of(ses + "identity/" + privacy.sesIdentity()));
        privacy.sesConfigurationSet().ifPresent(set -> resources.add(ses + "configuration-set/" + set));
        api.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("ses:SendEmail"))
                .resources(resources)
                .conditions(Map.of("StringEquals", Map.of("ses:FromAddress", privacy.codeFromAddress())))
                .build());
    }

    TallyFunction api() {
        return api;
    }

    TallyFunction sweep() {
        return sweep;
    }

    PrivacyHttpApi jwtApi() {
        return jwtApi;
    }

    PrivacyHttpApi iamApi() {
        return iamApi;
    }

    Queue sweepDeadLetters() {
        return sweepDeadLetters;
    }
}
