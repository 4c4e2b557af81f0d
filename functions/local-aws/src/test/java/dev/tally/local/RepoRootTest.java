package dev.tally.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoRootTest {
    @TempDir
    Path temp;

    @Test
    void repoRootPropertyWinsOverHomeAndTheWorkingDirectory() {
        Map<String, String> properties = Map.of("tally.repo.root", "/srv/repo/./x/..", "tally.home", "/opt/tally");
        assertThat(RepoRoot.find(properties::get, temp)).isEqualTo(Path.of("/srv/repo"));
    }

    @Test
    void homeIsUsedWithoutRepoRoot() {
        Map<String, String> properties = Map.of("tally.home", "/opt/tally", "tally.repo.root", " ");
        assertThat(RepoRoot.find(properties::get, temp)).isEqualTo(Path.of("/opt/tally"));
    }

    @Test
    void otherwiseTheNearestDirectoryWithPackageJsonAbove() throws IOException {
        Files.writeString(temp.resolve("package.json"), "{}");
        Path deep = Files.createDirectories(temp.resolve("functions/local-aws/target"));
        Files.createDirectories(deep.resolve("inner"));
        assertThat(RepoRoot.find(name -> null, deep.resolve("inner"))).isEqualTo(temp);

        Files.writeString(deep.resolve("package.json"), "{}");
        assertThat(RepoRoot.find(name -> null, deep.resolve("inner"))).isEqualTo(deep);
    }

    @Test
    void noRootIsAOneLineErrorNamingTheProperty() {
        // Only when nothing above the temporary directory has a package.json, which is what this machine has.
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/package.json"))
                || Files.exists(temp.getParent().resolve("package.json")));
        assertThatThrownBy(() -> RepoRoot.find(name -> null, temp)).isInstanceOf(LocalAwsException.class)
                .hasMessage("repository root not found: no package.json in " + temp
                        + " or above; set -Dtally.repo.root=DIR");
    }

    @Test
    void theBuildPointsTestsAtThisRepository() {
        assertThat(RepoRoot.find().resolve("package.json")).exists();
        assertThat(RepoRoot.find().resolve("functions/local-aws/pom.xml")).exists();
    }
}
