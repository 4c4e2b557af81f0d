package dev.tally.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An {@link ObjectStore} of one bucket kept in a local directory: the directory is the bucket's root and a key is a
 * path under it, so {@code aws s3 sync s3://bucket/ dir} gives a directory this store reads as the bucket, and what it
 * writes syncs back the same way. The bucket name is not part of the path. ETags are MD5s of the content (as S3 gives
 * for a single-part upload); there are no versions. A put writes a temporary file and moves it into place, so a reader
 * sees the old object or the new one. Keys that would leave the directory ({@code ..}, absolute paths) are refused.
 */
public final class DirectoryObjectStore implements ObjectStore {
    private static final String TEMPORARY = ".tmp-";

    private final Path root;

    public DirectoryObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    private Path path(String key) throws IOException {
        Path path = root.resolve(key).normalize();
        if (key.isEmpty() || key.startsWith("/") || !path.startsWith(root) || path.equals(root)) {
            throw new IOException("key " + key + " is not a path inside " + root);
        }
        return path;
    }

    @Override
    public Optional<StoredObject> head(String bucket, String key, String versionId) throws IOException {
        Path path = path(key);
        if (!Files.isRegularFile(path) || !versionId.isEmpty()) {
            return Optional.empty();
        }
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return Optional.of(new StoredObject(bucket, key, "", md5(Files.readAllBytes(path)),
                attributes.lastModifiedTime().toInstant(), attributes.size()));
    }

    @Override
    public InputStream get(String bucket, String key, String versionId, String ifMatch) throws IOException {
        Path path = path(key);
        if (!Files.isRegularFile(path) || !versionId.isEmpty()) {
            throw new NotFound("s3://" + bucket + "/" + key);
        }
        if (!ifMatch.isEmpty() && !ifMatch.equals(md5(Files.readAllBytes(path)))) {
            throw new Changed("s3://" + bucket + "/" + key);
        }
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new NotFound("s3://" + bucket + "/" + key);
        }
    }

    @Override
    public void put(String bucket, String key, byte[] content, String contentType) throws IOException {
        Path path = path(key);
        Files.createDirectories(path.getParent());
        Path temporary = Files.createTempFile(path.getParent(), TEMPORARY, "");
        try {
            Files.write(temporary, content);
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Atomic on one file system: the content is written apart, then linked into place only if nothing is there. */
    @Override
    public boolean putIfAbsent(String bucket, String key, byte[] content, String contentType) throws IOException {
        Path path = path(key);
        Files.createDirectories(path.getParent());
        Path temporary = Files.createTempFile(path.getParent(), TEMPORARY, "");
        try {
            Files.write(temporary, content);
            Files.createLink(path, temporary);
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Override
    public List<String> list(String bucket, String prefix) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        // walk only the directory the prefix is certainly under
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash)).normalize();
        if (!start.startsWith(root) || !Files.isDirectory(start)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(start)) {
            files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(TEMPORARY))
                    .map(p -> root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"))
                    .filter(key -> key.startsWith(prefix))
                    .forEach(keys::add);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        keys.sort(Comparator.comparing(k -> k.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        return keys;
    }

    private static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }
}
