package dev.tally.infra;

import dev.tally.infra.config.TallyConfig;
import dev.tally.infra.function.FunctionJars;
import dev.tally.infra.function.LogRetention;
import dev.tally.infra.history.HistoryStack;
import dev.tally.infra.billing.BillingStack;
import dev.tally.infra.tagging.AreasFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The app's pieces that need no synthesis: the areas file, the jars, log retention. */
class FoundationTest {
    private static final Path EXAMPLE_AREAS = SynthesizedApp.REPO.resolve("infra-cdk/config/areas.example.json");

    @Test
    void shouldGiveEveryServiceOfTheAppAnAreaInTheExampleAreasFile() {
        AreasFile areas = AreasFile.read(EXAMPLE_AREAS);

        assertThat(areas.areaOf(HistoryStack.SERVICE)).isEqualTo("platform");
        assertThat(areas.areaOf(BillingStack.SERVICE)).isEqualTo("platform");
        assertThat(areas.areas()).contains("platform", "search", "payments");
    }

    @Test
    void shouldRefuseAServiceTheAreasFileDoesNotName() throws IOException {
        Path file = Files.createTempFile("areas", ".json");
        Files.writeString(file, "{\"checkout\": \"storefront\"}");
        AreasFile areas = AreasFile.read(file);

        assertThatThrownBy(() -> areas.areaOf(HistoryStack.SERVICE))
                .hasMessageContaining("the app's service 'tally-history' has no product area");
        assertThatThrownBy(() -> areas.requireArea("ownerArea", "platform"))
                .hasMessageStartingWith("ownerArea: unknown product area 'platform'");
    }

    @Test
    void shouldRefuseAnAreasFileThePublisherCouldNotRead() throws IOException {
        Path file = Files.createTempFile("areas", ".json");
        Files.writeString(file, "{\"checkout\": 3}");

        assertThatThrownBy(() -> AreasFile.read(file)).hasMessageContaining("areasFile: ")
                .hasMessageContaining("the area of \"checkout\" must be a non-empty string");
    }

    @Test
    void shouldNameTheMissingJarAndHowToBuildIt(@TempDir Path empty) {
        FunctionJars jars = new FunctionJars(empty);

        assertThatThrownBy(() -> jars.code(FunctionJars.BILLING))
                .hasMessageContaining(empty.resolve("billing/target/tally-billing.jar").toString())
                .hasMessageContaining("-pl functions/billing -am");
    }

    @Test
    void shouldFindTheJarsTheFunctionModulesBuild() {
        FunctionJars jars = new FunctionJars(SynthesizedApp.REPO.resolve("functions"));

        for (FunctionJars.Jar jar : new FunctionJars.Jar[] {FunctionJars.HISTORY, FunctionJars.RECONCILER, FunctionJars.BILLING}) {
            assertThat(jars.path(jar)).isRegularFile();
        }
    }

    @Test
    void shouldMapEveryRetentionTheConfigAccepts() {
        TallyConfig config = TallyConfig.load(SynthesizedApp.EXAMPLE_CONFIG);
        assertThat(LogRetention.of(config.logRetentionDays())).isNotNull();
        for (int days : TallyConfig.LOG_RETENTION_DAYS) {
            assertThat(LogRetention.of(days)).isNotNull();
        }
    }
}
