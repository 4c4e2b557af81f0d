package dev.tally.billing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A bill: one or more parts read as one, in order (a month of a legacy CUR or a Data Export can be
 * several gzip files; they share one billing period and are allocated as if they were one file).
 *
 * @param name  how messages name the bill: the file, directory or manifest given, or an S3 URI
 * @param parts the parts in order, at least one
 */
public record Bill(String name, List<BillPart> parts) {
    private static final List<String> PART_SUFFIXES = List.of(".csv", ".csv.gz", ".gz", ".zip", ".csv.zip", ".parquet");

    public Bill {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new BillFileException(name, "has no parts");
        }
    }

    /** A bill of one file or object. */
    public static Bill of(BillPart part) {
        return new Bill(part.name(), List.of(part));
    }

    /**
     * A bill on the local disk: a file; a directory of parts ({@code .csv}, {@code .csv.gz}, {@code .gz},
     * {@code .zip}, {@code .parquet} (so {@code .snappy.parquet}), in natural order of their names: {@code -2} before {@code -10}); or a CUR / Data Exports
     * manifest ({@code .json}) whose listed keys are found under a directory above it — as after
     * {@code aws s3 sync s3://bucket/ DIR}, which keeps the keys.
     *
     * @throws BillFileException if a directory holds no parts, or a manifest cannot be read or lists a part
     *                           that is not there
     */
    public static Bill of(Path path) {
        if (Files.isDirectory(path)) {
            return directory(path);
        }
        if (path.getFileName() != null && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            return manifest(path);
        }
        return of(BillPart.of(path));
    }

    /** Stored size of all parts, or -1 if one is unknown. */
    public long size() {
        long total = 0;
        for (BillPart part : parts) {
            if (part.size() < 0) {
                return -1;
            }
            total += part.size();
        }
        return total;
    }

    private static Bill directory(Path dir) {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .toList();
        } catch (IOException e) {
            throw new BillFileException(dir, "cannot be listed (" + e.getMessage() + ")", e);
        }
        List<Path> parts = files.stream().filter(Bill::isPartName)
                .sorted(Comparator.comparing(f -> f.getFileName().toString(), Bill::naturalOrder)).toList();
        if (parts.isEmpty()) {
            List<Path> manifests = files.stream()
                    .filter(f -> BillManifest.isManifestKey(f.getFileName().toString())).toList();
            if (manifests.size() == 1) {
                return manifest(manifests.get(0));
            }
            throw new BillFileException(dir, "holds no bill files (.csv, .csv.gz, .gz, .zip) and no single manifest");
        }
        return new Bill(dir.toString(), parts.stream().map(BillPart::of).toList());
    }

    private static boolean isPartName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return PART_SUFFIXES.stream().anyMatch(name::endsWith);
    }

    private static Bill manifest(Path file) {
        BillManifest manifest;
        try (InputStream in = BillPart.of(file).open()) {
            manifest = BillManifest.parse(file.toString(), in);
        } catch (IOException e) {
            throw new BillFileException(file, "cannot be read (" + e.getMessage() + ")", e);
        }
        if (manifest.parts().isEmpty()) {
            throw new BillFileException(file, "is a manifest that lists no report files");
        }
        List<BillPart> parts = new ArrayList<>();
        for (BillManifest.ObjectKey key : manifest.parts()) {
            parts.add(BillPart.of(locate(file, key)));
        }
        return new Bill(file.toString(), parts);
    }

    /** The local copy of a listed object: its key under the nearest directory above the manifest that has it. */
    private static Path locate(Path manifest, BillManifest.ObjectKey key) {
        Path dir = manifest.toAbsolutePath().getParent();
        for (Path root = dir; root != null; root = root.getParent()) {
            Path candidate = root.resolve(key.key());
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new BillFileException(manifest, "lists " + key.uri() + ", which is not under any directory above the "
                + "manifest (copy the bucket with its keys, e.g. aws s3 sync s3://" + key.bucket() + "/ DIR)");
    }

    /** Compares names with their runs of digits as numbers, so {@code part-2} comes before {@code part-10}. */
    static int naturalOrder(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }
}
