package dev.tally.allocation;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SpillLogTest {
    private static List<Path> logFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("tally-split-")).toList();
        }
    }

    @Test
    void shouldReadBackEveryRecordInOrder_fromDiskAndMemory_andDeleteItsFile() throws IOException {
        List<Path> before = logFiles();
        SpillLog log = new SpillLog(16);
        for (long i = 0; i < 1000; i++) {
            log.append(i, -i, Long.MAX_VALUE - i, Long.MIN_VALUE + i, i * 7);
        }
        List<Path> during = new ArrayList<>(logFiles());
        during.removeAll(before);
        List<long[]> read = new ArrayList<>();
        log.forEach((index, r) -> {
            assertThat(index).isEqualTo(read.size());
            read.add(r.clone());
        });
        log.append(1000, 0, 0, 0, 0); // appending after a read goes on where it was
        long[] count = {0};
        log.forEach((index, r) -> count[0]++);
        log.close();

        assertThat(during).hasSize(1);
        assertThat(read).hasSize(1000);
        assertThat(read.get(999)).containsExactly(999, -999, Long.MAX_VALUE - 999, Long.MIN_VALUE + 999, 6993);
        assertThat(count[0]).isEqualTo(1001);
        assertThat(log.size()).isZero();
        assertThat(during.get(0)).doesNotExist();
    }

    @Test
    void shouldStayInMemory_whileSmall() throws IOException {
        List<Path> before = logFiles();
        SpillLog log = new SpillLog(1 << 10);
        for (long i = 0; i < 1000; i++) {
            log.append(i, i, i, i, i);
        }
        List<Path> after = new ArrayList<>(logFiles());
        after.removeAll(before);
        long[] sum = {0};
        log.forEach((index, r) -> sum[0] += r[4]);

        assertThat(after).isEmpty();
        assertThat(sum[0]).isEqualTo(999L * 1000 / 2);
        log.close();
    }
}
