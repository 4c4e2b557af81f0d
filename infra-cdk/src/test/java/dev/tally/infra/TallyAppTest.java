package dev.tally.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tally.infra.function.FunctionJars;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code cdk synth}'s part: the app writes a whole cloud assembly, the function jars as its assets. */
class TallyAppTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldWriteTheCloudAssemblyOfEveryStack() throws IOException {
        SynthesizedApp.get();
        Path out = SynthesizedApp.OUTDIR;

        JsonNode manifest = JSON.readTree(out.resolve("manifest.json").toFile());
        assertThat(manifest.path("artifacts").has("TallyHistory")).isTrue();
        assertThat(manifest.path("artifacts").has("TallyBilling")).isTrue();
        assertThat(manifest.path("artifacts").path("TallyBilling").path("dependencies").toString())
                .contains("TallyHistory");
        assertThat(out.resolve("TallyHistory.template.json")).isRegularFile();
        assertThat(out.resolve("TallyBilling.template.json")).isRegularFile();
    }

    @Test
    void shouldShipEachFunctionJarAsAnAsset() throws IOException {
        SynthesizedApp.get();
        FunctionJars jars = new FunctionJars(SynthesizedApp.REPO.resolve("functions"));
        List<Long> built = new ArrayList<>();
        for (FunctionJars.Jar jar : List.of(FunctionJars.HISTORY, FunctionJars.RECONCILER, FunctionJars.BILLING,
                FunctionJars.PRIVACY_API, FunctionJars.PRIVACY_WORKER)) {
            built.add(Files.size(jars.path(jar)));
        }
        try (Stream<Path> files = Files.list(SynthesizedApp.OUTDIR)) {
            List<Long> assets = files.filter(p -> p.getFileName().toString().matches("asset\\.[0-9a-f]{64}\\.jar"))
                    .map(TallyAppTest::size).toList();
            assertThat(assets).containsExactlyInAnyOrderElementsOf(built);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
