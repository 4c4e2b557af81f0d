package dev.tally.infra.nag;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.constructs.IConstruct;

import java.util.Arrays;
import java.util.List;

/**
 * cdk-nag for the app, and the one way to accept a finding: on one resource, for one rule, with the reason (and,
 * for findings with parts such as IAM5's wildcards, the exact parts accepted). Never stack-wide.
 */
public final class Nag {
    private Nag() {
    }

    /** cdk-nag's AwsSolutions pack over every construct of {@code scope}. */
    public static void check(IConstruct scope) {
        Aspects.of(scope).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    }

    /**
     * Accepts {@code rule} (e.g. {@code AwsSolutions-IAM5}) on {@code resource} alone (not its children; an L2
     * construct stands for its CloudFormation resource).
     *
     * @param appliesTo the finding's parts accepted, as cdk-nag names them (e.g. {@code Resource::*},
     *                  {@code Action::s3:GetObject*}, or with {@link #arn} {@code Resource::<Bucket1234.Arn>/*});
     *                  none accepts the rule's finding whole
     */
    public static void suppress(IConstruct resource, String rule, String reason, Object... appliesTo) {
        NagPackSuppression.Builder suppression = NagPackSuppression.builder().id(rule).reason(reason);
        if (appliesTo.length > 0) {
            suppression.appliesTo(List.copyOf(Arrays.asList(appliesTo)));
        }
        NagSuppressions.addResourceSuppressions(resource, List.of(suppression.build()), false);
    }

    /** How cdk-nag writes the ARN of a resource of the same stack in its findings: {@code <LogicalId.Arn>}. */
    public static String arn(IConstruct resource) {
        return "<" + logicalId(resource) + ".Arn>";
    }

    /** How cdk-nag writes a reference to a resource of the same stack (its name, say): {@code <LogicalId>}. */
    public static String ref(IConstruct resource) {
        return "<" + logicalId(resource) + ">";
    }

    /**
     * The finding for the indexes of a table ({@code Resource::<arn>/index/*}), whether the table is in the same
     * stack ({@code <LogicalId.Arn>}) or another (the import of its exported ARN).
     */
    public static RegexAppliesTo tableIndexes(IConstruct table) {
        String id = logicalId(table);
        return RegexAppliesTo.builder()
                .regex("/^Resource::(<" + id + "\\.Arn>|[^:<>]+:ExportsOutputFnGetAtt" + id + "Arn[0-9A-F]{8})"
                        + "\\/index\\/\\*$/")
                .build();
    }

    /** The logical id of a resource (an L2 construct: its CloudFormation resource's), as findings name it. */
    public static String logicalId(IConstruct resource) {
        IConstruct cfn = resource.getNode().getDefaultChild() != null ? resource.getNode().getDefaultChild() : resource;
        return Stack.of(cfn).resolve(((CfnElement) cfn).getLogicalId()).toString();
    }
}
