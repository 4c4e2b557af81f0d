package dev.tally.delivery;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link ObjectStore} must do, run against each adapter (in memory here, S3 in the AWS module). */
public abstract class ObjectStoreContract {
    /** A store with an empty bucket of this name; each call shares nothing with earlier ones. */
    protected abstract ObjectStore newStore(String bucket);

    /**
     * Whether the store behind the adapter decides racing conditional writes one at a time. S3 does; an emulator may
     * check {@code If-None-Match} without a lock, and then only the sequential half of the contract can be held to.
     */
    protected boolean racesConditionalWritesAtomically() {
        return true;
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldStoreAndStreamObjects_withTheirMetadata() throws IOException {
        ObjectStore store = newStore("b1");
        store.put("b1", "runs/billing_period=2017-02/run_id=r1/summary.json", "{\"a\": 1}".getBytes(StandardCharsets.UTF_8),
                "application/json");

        ObjectStore.StoredObject head = store.head("b1", "runs/billing_period=2017-02/run_id=r1/summary.json", "")
                .orElseThrow();
        String content = read(store.get("b1", "runs/billing_period=2017-02/run_id=r1/summary.json", "", ""));

        assertThat(content).isEqualTo("{\"a\": 1}");
        assertThat(head.size()).isEqualTo(8);
        assertThat(head.eTag()).isNotEmpty().doesNotContain("\"");
        assertThat(head.lastModified()).isNotNull();
    }

    @Test
    void shouldReplaceAnObjectWhole_andReadItOnlyIfItsETagStillMatches() throws IOException {
        ObjectStore store = newStore("b2");
        store.put("b2", "k", "first".getBytes(StandardCharsets.UTF_8), "text/plain");
        String firstETag = store.head("b2", "k", "").orElseThrow().eTag();
        store.put("b2", "k", "second".getBytes(StandardCharsets.UTF_8), "text/plain");
        String secondETag = store.head("b2", "k", "").orElseThrow().eTag();

        assertThat(read(store.get("b2", "k", "", secondETag))).isEqualTo("second");
        assertThat(secondETag).isNotEqualTo(firstETag);
        assertThatThrownBy(() -> read(store.get("b2", "k", "", firstETag))).isInstanceOf(ObjectStore.Changed.class);
    }

    @Test
    void shouldSayWhatIsNotThere() throws IOException {
        ObjectStore store = newStore("b3");

        assertThat(store.head("b3", "missing/key with space+plus.csv.zip", "")).isEmpty();
        assertThatThrownBy(() -> store.get("b3", "missing", "", "")).isInstanceOf(ObjectStore.NotFound.class)
                .hasMessageContaining("s3://b3/missing");
    }

    @Test
    void shouldKeepKeysAsGiven_spacesPlusesAndEqualsSigns() throws IOException {
        ObjectStore store = newStore("b4");
        String key = "exports/cur 2/data/BILLING_PERIOD=2017-02/a+b-00001.csv.gz";
        store.put("b4", key, new byte[] {1, 2, 3}, "application/octet-stream");

        assertThat(store.head("b4", key, "")).isPresent();
        try (InputStream in = store.get("b4", key, "", "")) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
    }

    @Test
    void shouldListTheKeysUnderAPrefix_inS3sOrder() throws IOException {
        ObjectStore store = newStore("b5");
        for (int i = 0; i < 23; i++) {
            store.put("b5", String.format("runs/billing_period=2017-02/run_id=r%04d/run.json", i), new byte[] {1},
                    "application/json");
        }
        store.put("b5", "runs/billing_period=2017-01/run_id=a b+c/run.json", new byte[] {1}, "application/json");
        store.put("b5", "runs-other/x", new byte[] {1}, "application/json");
        store.put("b5", "finalized/_runs/billing_period=2017-01/run.json", new byte[] {1}, "application/json");

        java.util.List<String> runs = store.list("b5", "runs/");
        java.util.List<String> january = store.list("b5", "runs/billing_period=2017-01/");

        assertThat(runs).hasSize(24).startsWith("runs/billing_period=2017-01/run_id=a b+c/run.json",
                "runs/billing_period=2017-02/run_id=r0000/run.json")
                .endsWith("runs/billing_period=2017-02/run_id=r0022/run.json").isSorted();
        assertThat(january).containsExactly("runs/billing_period=2017-01/run_id=a b+c/run.json");
        assertThat(store.list("b5", "nothing/")).isEmpty();
        assertThat(store.list("b5", "")).hasSize(26);
    }

    @Test
    void shouldWriteOnlyWhereNothingIs_onceOfTwoRacingWriters() throws Exception {
        ObjectStore store = newStore("b6");

        boolean first = store.putIfAbsent("b6", "alerts/sent/a.json", "first".getBytes(StandardCharsets.UTF_8),
                "application/json");
        boolean second = store.putIfAbsent("b6", "alerts/sent/a.json", "second".getBytes(StandardCharsets.UTF_8),
                "application/json");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.List<java.util.concurrent.Future<Boolean>> racers = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] content = ("racer " + i).getBytes(StandardCharsets.UTF_8);
            racers.add(pool.submit(() -> store.putIfAbsent("b6", "alerts/sent/b.json", content, "application/json")));
        }
        int won = 0;
        for (java.util.concurrent.Future<Boolean> racer : racers) {
            won += racer.get() ? 1 : 0;
        }
        pool.shutdown();

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(read(store.get("b6", "alerts/sent/a.json", "", ""))).isEqualTo("first");
        if (racesConditionalWritesAtomically()) {
            assertThat(won).isEqualTo(1);
        } else {
            assertThat(won).isPositive();
        }
        assertThat(read(store.get("b6", "alerts/sent/b.json", "", ""))).startsWith("racer ");
        assertThat(store.list("b6", "alerts/")).containsExactly("alerts/sent/a.json", "alerts/sent/b.json");
    }

    @Test
    void shouldReadARange_andOnlyWhileTheETagStillMatches() throws IOException {
        ObjectStore store = newStore("b7");
        store.put("b7", "part.snappy.parquet", "PAR1 0123456789 PAR1".getBytes(StandardCharsets.UTF_8),
                "application/octet-stream");
        String eTag = store.head("b7", "part.snappy.parquet", "").orElseThrow().eTag();
        byte[] into = new byte[12];

        store.readRange("b7", "part.snappy.parquet", "", eTag, 5, into, 1, 10);

        assertThat(new String(into, 1, 10, StandardCharsets.UTF_8)).isEqualTo("0123456789");
        assertThat(into[0]).isZero();
        assertThatThrownBy(() -> store.readRange("b7", "part.snappy.parquet", "", eTag, 15, new byte[10], 0, 10))
                .isInstanceOf(IOException.class);
        store.put("b7", "part.snappy.parquet", "changed".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        assertThatThrownBy(() -> store.readRange("b7", "part.snappy.parquet", "", eTag, 0, new byte[4], 0, 4))
                .isInstanceOf(ObjectStore.Changed.class);
    }
}
