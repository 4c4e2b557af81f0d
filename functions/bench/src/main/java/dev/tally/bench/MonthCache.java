package dev.tally.bench;

import dev.tally.testkit.Manifest;
import dev.tally.testkit.MonthGenerator;
import dev.tally.testkit.MonthSpec;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Generated months kept on disk, one directory per distinct {@link MonthSpec}, so a benchmark does not spend
 * 40 s generating a 5M-row month it already has.
 *
 * <p>The directory name is the cache key: a readable prefix ({@code dbr-gzip-r5000000-s1}) and a hash of the
 * spec's canonical form (every field of the spec, so options spelled differently but meaning the same share a
 * month) and of the generator's own classes (so a changed generator never reuses a month it would no longer
 * write). A month is generated into a temporary directory and renamed into place when complete, with the
 * spec written beside the manifest; only such complete directories are reused.
 */
public final class MonthCache {
    /** Written last into a complete month: the canonical spec it was generated from. */
    static final String SPEC_FILE = "bench-spec.txt";

    private final Path root;
    private final String generatorFingerprint;

    public MonthCache(Path root) {
        this(root, generatorFingerprint());
    }

    MonthCache(Path root, String generatorFingerprint) {
        this.root = root;
        this.generatorFingerprint = generatorFingerprint;
    }

    /** A month on disk and what the generator says it holds. */
    public record Month(Path dir, MonthSpec spec, Manifest manifest, boolean reused, long generateMillis) {
        public Path bill() {
            return dir.resolve(manifest.billFile());
        }

        public Path events() {
            return dir.resolve(manifest.eventsFile());
        }

        public Path areas() {
            return dir.resolve(manifest.areasFile());
        }
    }

    /**
     * The spec's canonical form: every field, by name, in a fixed order. Two specs are the same month if and
     * only if their canonical forms are equal (the generator is a function of the spec).
     */
    public static String canonical(MonthSpec spec) {
        Map<String, String> f = new TreeMap<>();
        f.put("period", spec.period().toString());
        f.put("format", spec.format().id());
        f.put("compression", spec.compression().name().toLowerCase(Locale.ROOT));
        f.put("seed", Long.toString(spec.seed()));
        f.put("rows", Integer.toString(spec.targetRows()));
        f.put("instances", Integer.toString(spec.instances()));
        f.put("services", Integer.toString(spec.services()));
        f.put("clusters", Integer.toString(spec.clusters()));
        f.put("volumes", Integer.toString(spec.volumes()));
        f.put("fargate-share", Double.toString(spec.fargateShare()));
        f.put("estimated", Boolean.toString(spec.estimated()));
        f.put("tag-key", spec.tagKey());
        f.put("malformed-rows", Integer.toString(spec.malformedRows()));
        f.put("no-resource-ids", Boolean.toString(spec.noResourceIds()));
        f.put("focus-nulls", Boolean.toString(spec.focusNulls()));
        f.put("extra-decimals", Boolean.toString(spec.extraDecimals()));
        f.put("stray-period-rows", Integer.toString(spec.strayPeriodRows()));
        f.put("commitments", Boolean.toString(spec.commitments()));
        f.put("duplicate-rate", Double.toString(spec.events().duplicateRate()));
        f.put("shuffle", Boolean.toString(spec.events().shuffle()));
        f.put("shuffle-window", Integer.toString(spec.events().shuffleWindow()));
        f.put("malformed-events", Integer.toString(spec.events().malformedEvents()));
        f.put("noise-rate", Double.toString(spec.events().noiseRate()));
        f.put("events-gzip", Boolean.toString(spec.events().gzip()));
        if (spec.splitCostAllocation()) { // only then: the months cached before it keep their keys
            f.put("split-cost-allocation", "true");
            f.put("ecs-tag-share", Double.toString(spec.ecsTagShare()));
            f.put("unrecorded-task-share", Double.toString(spec.unrecordedTaskShare()));
        }
        StringBuilder s = new StringBuilder();
        f.forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
        return s.toString();
    }

    /** The cache key (directory name) of a spec, e.g. {@code dbr-gzip-r5000000-s1-0a1b2c3d4e5f}. */
    public String key(MonthSpec spec) {
        return key(spec, generatorFingerprint);
    }

    static String key(MonthSpec spec, String generatorFingerprint) {
        String hash = sha256(canonical(spec) + "generator=" + generatorFingerprint + "\n").substring(0, 12);
        return spec.format().id() + "-" + spec.compression().name().toLowerCase(Locale.ROOT)
                + "-r" + spec.targetRows() + "-s" + spec.seed() + "-" + hash;
    }

    public Path dirOf(MonthSpec spec) {
        return root.resolve(key(spec));
    }

    /** The month for this spec: the cached one if complete, else generated now. */
    public Month getOrGenerate(MonthSpec spec) throws IOException {
        Path dir = dirOf(spec);
        String canonical = canonical(spec);
        Path specFile = dir.resolve(SPEC_FILE);
        if (Files.isRegularFile(specFile) && Files.readString(specFile).equals(canonical)) {
            return new Month(dir, spec, Manifest.read(dir), true, 0);
        }
        Files.createDirectories(root);
        Path tmp = root.resolve(dir.getFileName() + ".partial-" + ProcessHandle.current().pid());
        deleteTree(tmp);
        long t0 = System.nanoTime();
        MonthGenerator.generate(spec, tmp);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        Files.writeString(tmp.resolve(SPEC_FILE), canonical, StandardCharsets.UTF_8);
        deleteTree(dir);
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir);
        }
        return new Month(dir, spec, Manifest.read(dir), false, millis);
    }

    /**
     * A hash of the generator's class files ({@code dev/tally/testkit/*.class}) as loaded: from the jar or
     * directory {@link MonthGenerator} came from. "unknown" if they cannot be read.
     */
    static String generatorFingerprint() {
        try {
            Path source = Path.of(MonthGenerator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            String prefix = "dev/tally/testkit/";
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            if (Files.isDirectory(source)) {
                List<Path> files;
                try (Stream<Path> s = Files.walk(source.resolve(prefix))) {
                    files = new ArrayList<>(s.filter(p -> p.toString().endsWith(".class")).toList());
                }
                files.sort(Comparator.comparing(p -> source.relativize(p).toString()));
                for (Path p : files) {
                    digest.update(source.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                    digest.update(Files.readAllBytes(p));
                }
            } else {
                try (JarFile jar = new JarFile(source.toFile())) {
                    List<JarEntry> entries = new ArrayList<>(jar.stream()
                            .filter(e -> e.getName().startsWith(prefix) && e.getName().endsWith(".class")).toList());
                    entries.sort(Comparator.comparing(JarEntry::getName));
                    for (JarEntry e : entries) {
                        digest.update(e.getName().getBytes(StandardCharsets.UTF_8));
                        try (InputStream in = jar.getInputStream(e)) {
                            digest.update(in.readAllBytes());
                        }
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (IOException | URISyntaxException | NoSuchAlgorithmException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
