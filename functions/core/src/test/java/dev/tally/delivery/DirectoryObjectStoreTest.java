package dev.tally.delivery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The object store contract on a local directory, and what only a directory can get wrong. */
class DirectoryObjectStoreTest extends ObjectStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ObjectStore newStore(String bucket) {
        return new DirectoryObjectStore(dir.resolve(bucket));
    }

    @Test
    void shouldLayKeysOutAsPaths_likeASyncOfTheBucket() throws IOException {
        ObjectStore store = newStore("b");

        store.put("b", "runs/billing_period=2017-02/run_id=r1/run.json", "{}".getBytes(), "application/json");

        assertThat(dir.resolve("b/runs/billing_period=2017-02/run_id=r1/run.json")).hasContent("{}");
        try (var files = Files.walk(dir.resolve("b"))) {
            assertThat(files.filter(Files::isRegularFile)).hasSize(1);
        }
    }

    @Test
    void shouldRefuseKeysThatLeaveTheDirectory() {
        ObjectStore store = newStore("b");

        assertThatThrownBy(() -> store.put("b", "../outside.json", new byte[] {1}, "application/json"))
                .isInstanceOf(IOException.class).hasMessageContaining("not a path inside");
        assertThatThrownBy(() -> store.get("b", "/etc/passwd", "", "")).isInstanceOf(IOException.class);
        assertThat(dir.resolve("outside.json")).doesNotExist();
    }
}
