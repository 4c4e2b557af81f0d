package dev.tally.infra.privacy;

import dev.tally.infra.config.WarehouseSection;
import dev.tally.infra.function.TallyFunction;
import dev.tally.infra.nag.Nag;
import dev.tally.infra.warehouse.DataApiAccess;
import dev.tally.privacy.PrivacyConfig;
import dev.tally.privacy.Target;
import dev.tally.privacy.TargetKind;
import dev.tally.privacy.archive.ArchiveTarget;
import dev.tally.privacy.webhook.WebhookConfig;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the work function (and a distributed pass's slice function) may touch, read from the config document it
 * carries out, target by target and nothing more: an {@code S3_ARCHIVE}'s bucket — list it and its versions, and read, rewrite and delete versions of objects
 * under the target's prefixes only; a {@code WEBHOOK}'s secret header — read that secret's value; a
 * {@code WAREHOUSE} — the Data API on the deployment's warehouse.
 */
final class TargetAccess {
    private static final String ARCHIVE_WILDCARDS = "The function rewrites and deletes the versions of the archive "
            + "objects under its targets' prefixes (any object there may hold a subject)";

    private TargetAccess() {
    }

    /**
     * The archive targets' grants alone, for the slice function of a distributed pass (it reads and rewrites objects
     * of the archive, nothing else).
     */
    static void grantArchives(Construct scope, PrivacyConfig document, TallyFunction slices) {
        Stack stack = Stack.of(scope);
        List<Object> wildcards = new ArrayList<>();
        for (Target target : document.targets()) {
            if (target.kind() == TargetKind.S3_ARCHIVE) {
                wildcards.addAll(archive(stack, ArchiveTarget.from(target), slices));
            }
        }
        if (!wildcards.isEmpty()) {
            slices.acceptWildcards(ARCHIVE_WILDCARDS, wildcards.toArray());
        }
    }

    /** @param archives whether the work function reads the archive targets itself (not with a distributed pass) */
    static void grant(Construct scope, PrivacyConfig document, WarehouseSection warehouse, TallyFunction work,
                      boolean archives) {
        Stack stack = Stack.of(scope);
        List<Object> archiveWildcards = new ArrayList<>();
        Set<String> secretIds = new LinkedHashSet<>();
        boolean warehouseTarget = false;
        for (Target target : document.targets()) {
            switch (target.kind()) {
                case S3_ARCHIVE -> {
                    if (archives) {
                        archiveWildcards.addAll(archive(stack, ArchiveTarget.from(target), work));
                    }
                }
                case WEBHOOK -> WebhookConfig.from(target).secretHeader()
                        .ifPresent(header -> secretIds.add(header.secretId()));
                case WAREHOUSE -> warehouseTarget = true;
            }
        }
        int n = 0;
        for (String secretId : secretIds) {
            ISecret secret = secretId.startsWith("arn:")
                    ? Secret.fromSecretCompleteArn(scope, "WebhookSecret" + n++, secretId)
                    : Secret.fromSecretNameV2(scope, "WebhookSecret" + n++, secretId);
            secret.grantRead(work.role());
        }
        if (warehouseTarget) {
            DataApiAccess.grant(scope, warehouse, work.role());
        }
        if (!secretIds.isEmpty()) {
            archiveWildcards.add(RegexAppliesTo.builder()
                    .regex("/^Resource::arn:<AWS::Partition>:secretsmanager:[^:]+:[0-9]+:secret:.+-\\?{6}$/").build());
        }
        if (!archiveWildcards.isEmpty()) {
            work.acceptWildcards(ARCHIVE_WILDCARDS + ", and reads its webhook secrets by name (Secrets Manager adds a "
                    + "random suffix to a secret's ARN)", archiveWildcards.toArray());
        }
    }

    /** The archive's grants; returns the wildcard parts cdk-nag names, to be accepted. */
    private static List<Object> archive(Stack stack, ArchiveTarget target, TallyFunction work) {
        String bucket = "arn:" + stack.getPartition() + ":s3:::" + target.bucket();
        List<String> objects = target.prefixes().stream().map(prefix -> bucket + "/" + prefix + "*").toList();
        work.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:ListBucket", "s3:ListBucketVersions"))
                .resources(List.of(bucket))
                .conditions(Map.of("StringLike", Map.of("s3:prefix", target.prefixes().stream()
                        .map(prefix -> prefix + "*").toList())))
                .build());
        work.role().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:DeleteObjectVersion"))
                .resources(objects)
                .build());
        return objects.stream().<Object>map(arn -> "Resource::" + arn.replace(stack.getPartition(),
                "<AWS::Partition>")).toList();
    }
}
