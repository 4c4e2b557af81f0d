package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is missing is said in one line, before anything starts. */
class PreconditionsTest {
    @TempDir
    Path temp;

    @Test
    void dynaliteMissingSaysToRunNpmCi() throws IOException {
        Files.writeString(temp.resolve("package.json"), "{}");
        assertThatThrownBy(() -> DynaliteEmulator.script(temp)).isInstanceOf(LocalAwsException.class)
                .hasMessage("dynalite not installed: run `npm ci` in " + temp);
    }

    @Test
    void aDanglingDynaliteLinkCountsAsMissing() throws IOException {
        Path bin = Files.createDirectories(temp.resolve("node_modules/.bin"));
        Files.createSymbolicLink(bin.resolve("dynalite"), temp.resolve("node_modules/dynalite/cli.js"));
        assertThatThrownBy(() -> DynaliteEmulator.script(temp)).hasMessageStartingWith("dynalite not installed");
    }

    @Test
    void postgresMissingNamesWhereItLookedAndWhatToInstall() {
        assertThatThrownBy(() -> PostgresEmulator.binaries(temp.resolve("postgresql")))
                .isInstanceOf(LocalAwsException.class)
                .hasMessage("PostgreSQL binaries not found under " + temp.resolve("postgresql")
                        + ": apt-get install postgresql (or set -Dtally.postgres.bin=DIR)");
    }

    @Test
    void theNewestPostgresVersionWithAllBinariesIsChosen() throws IOException {
        for (String version : List.of("13", "16", "9.6")) {
            Path bin = Files.createDirectories(temp.resolve(version).resolve("bin"));
            for (String tool : List.of("initdb", "pg_ctl", "postgres")) {
                Path file = Files.writeString(bin.resolve(tool), "#!/bin/sh\n");
                assertThat(file.toFile().setExecutable(true)).isTrue();
            }
        }
        Files.createDirectories(temp.resolve("17/bin")); // no binaries: not a candidate
        assertThat(PostgresEmulator.binaries(temp)).isEqualTo(temp.resolve("16/bin"));
    }

    @Test
    void nothingStartsWhenOneOfTheRequestedServicesCannot() throws IOException {
        Files.writeString(temp.resolve("package.json"), "{}");
        try (LocalAws aws = new LocalAws(() -> temp, temp.resolve("no-postgres"))) {
            assertThatThrownBy(() -> aws.require(LocalService.POSTGRES, LocalService.DYNAMODB))
                    .isInstanceOf(LocalAwsException.class)
                    .hasMessage("dynalite not installed: run `npm ci` in " + temp);
            assertThat(aws.services()).isEmpty();
        }
    }
}
