package dev.tally.infra.function;

import dev.tally.infra.nag.Nag;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

import java.util.Map;
import java.util.TreeMap;

/**
 * Every Tally function: Java 21 on arm64, explicit memory and timeout, its own log group with a retention, X-Ray
 * active tracing, code from a module's shaded jar, a role of its own that may only write its log group (and X-Ray)
 * until the stack grants it more. The environment's names are the function's config-class constants.
 * SnapStart is decided per function, where it is created (none uses it today).
 */
public final class TallyFunction extends Construct {
    private final Function function;
    private final Role role;
    private final LogGroup logGroup;

    /** What differs between functions. @param handler the handler class (its name is the Lambda handler) */
    public record Spec(String description, Code code, Class<?> handler, int memoryMb, Duration timeout,
                       Map<String, String> environment, RetentionDays logRetention) {
    }

    public TallyFunction(Construct scope, String id, Spec spec) {
        this(scope, id, spec, null, null);
    }

    /**
     * @param reservedConcurrency null for none
     * @param ephemeralStorage    null for Lambda's default
     */
    public TallyFunction(Construct scope, String id, Spec spec, Integer reservedConcurrency, Size ephemeralStorage) {
        super(scope, id);
        logGroup = LogGroup.Builder.create(this, "Logs")
                .retention(spec.logRetention())
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description(spec.description())
                .build();
        logGroup.grantWrite(role);
        function = Function.Builder.create(this, "Function")
                .description(spec.description())
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(spec.handler().getName())
                .code(spec.code())
                .memorySize(spec.memoryMb())
                .timeout(spec.timeout())
                .ephemeralStorageSize(ephemeralStorage)
                .reservedConcurrentExecutions(reservedConcurrency)
                .environment(new TreeMap<>(spec.environment()))
                .tracing(Tracing.ACTIVE)
                .logGroup(logGroup)
                .role(role)
                .build();
        Nag.suppress(function, "AwsSolutions-L1", "Java 21 is the runtime Tally's functions are deployed on "
                + "(issue 12); moving to a newer Java runtime is a change of its own, tested with the functions");
        Nag.suppress(role.getNode().findChild("DefaultPolicy"), "AwsSolutions-IAM5", "X-Ray's PutTraceSegments and "
                + "PutTelemetryRecords take no resource-level permissions (Resource *)", "Resource::*");
    }

    /**
     * Accepts wildcard parts of this function's grants (cdk-nag AwsSolutions-IAM5) on its policy alone, e.g.
     * {@link Nag#tableIndexes} for a table's indexes.
     */
    public void acceptWildcards(String reason, Object... appliesTo) {
        Nag.suppress(role.getNode().findChild("DefaultPolicy"), "AwsSolutions-IAM5", reason, appliesTo);
    }

    public Function function() {
        return function;
    }

    public Role role() {
        return role;
    }

    public LogGroup logGroup() {
        return logGroup;
    }
}
