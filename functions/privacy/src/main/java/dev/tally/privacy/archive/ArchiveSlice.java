package dev.tally.privacy.archive;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of an archive one pass covers: everything under the target's prefixes, a list of object keys (a
 * Distributed Map item batch of a listing), or the keys under a prefix in a range. Key order is S3's: UTF-8 bytes,
 * unsigned ({@link #compareKeys}).
 */
public sealed interface ArchiveSlice {

    /** Every object under the target's prefixes. */
    record Everything() implements ArchiveSlice {
    }

    /** These objects (and their older versions), each once. */
    record Keys(List<String> keys) implements ArchiveSlice {
        public Keys {
            keys = keys.stream().map(Objects::requireNonNull).distinct().toList();
        }
    }

    /**
     * The objects under {@code prefix} whose keys come after {@code startAfter} (if given) and before
     * {@code endBefore} (if given): consecutive ranges split a prefix between workers without overlap.
     */
    record Range(String prefix, Optional<String> startAfter, Optional<String> endBefore) implements ArchiveSlice {
        public Range {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(startAfter, "startAfter");
            Objects.requireNonNull(endBefore, "endBefore");
        }

        /** Whether a key under the prefix lies in the range. */
        public boolean contains(String key) {
            return key.startsWith(prefix) && startAfter.map(s -> compareKeys(key, s) > 0).orElse(true)
                    && endBefore.map(e -> compareKeys(key, e) < 0).orElse(true);
        }

        /** Whether no key after this one can be in the range (listings are in key order). */
        public boolean isPast(String key) {
            return endBefore.map(e -> compareKeys(key, e) >= 0).orElse(false);
        }
    }

    static ArchiveSlice everything() {
        return new Everything();
    }

    static ArchiveSlice keys(List<String> keys) {
        return new Keys(keys);
    }

    static ArchiveSlice range(String prefix, String startAfter, String endBefore) {
        return new Range(prefix, Optional.ofNullable(startAfter), Optional.ofNullable(endBefore));
    }

    /** S3's key order: the keys' UTF-8 bytes compared unsigned (not Java's UTF-16 order). */
    static int compareKeys(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
