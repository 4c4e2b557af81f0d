package dev.tally.infra.privacy;

import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.LayerVersion;
import software.amazon.awscdk.services.lambda.Runtime;
import software.constructs.Construct;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The privacy config document as a Lambda layer: the functions read it from {@value #PATH}
 * ({@code PRIVACY_CONFIG_FILE}), since a document with a few webhook targets outgrows the 4 KB Lambda allows for all
 * environment variables together. A changed document is a new layer version (the asset hash is its content).
 */
final class PrivacyDocumentLayer {
    static final String PATH = "/opt/tally/privacy.json";

    private PrivacyDocumentLayer() {
    }

    static LayerVersion create(Construct scope, String id, String document) {
        Path staged;
        try {
            staged = Files.createTempDirectory("tally-privacy-document-");
            Path file = staged.resolve(PATH.substring("/opt/".length()));
            Files.createDirectories(file.getParent());
            Files.writeString(file, document);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the privacy config document for its layer", e);
        }
        return LayerVersion.Builder.create(scope, id)
                .description("Tally privacy config document (targets, due days, retry, batching)")
                .code(Code.fromAsset(staged.toString()))
                .compatibleRuntimes(List.of(Runtime.JAVA_21))
                .compatibleArchitectures(List.of(Architecture.ARM_64))
                .build();
    }
}
