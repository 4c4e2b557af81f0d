package dev.tally.delivery;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/** An {@link ObjectStore} in memory for unit tests: ETags are MD5s, a versioned store keeps every version. */
public final class InMemoryObjectStore implements ObjectStore {
    private record Version(byte[] content, String versionId, String eTag, Instant lastModified) {
    }

    private final Map<String, java.util.List<Version>> objects = new HashMap<>();
    private final boolean versioned;
    private Instant now;

    public InMemoryObjectStore(boolean versioned, Instant start) {
        this.versioned = versioned;
        this.now = start;
    }

    /** Puts an object as a client would; returns its metadata. Each put is one second later than the last. */
    public synchronized StoredObject upload(String bucket, String key, byte[] content) {
        now = now.plusSeconds(1);
        java.util.List<Version> versions = objects.computeIfAbsent(bucket + "/" + key, k -> new java.util.ArrayList<>());
        Version v = new Version(content, versioned ? "v" + (versions.size() + 1) : "", md5(content), now);
        if (!versioned) {
            versions.clear();
        }
        versions.add(v);
        return new StoredObject(bucket, key, v.versionId(), v.eTag(), v.lastModified(), content.length);
    }

    public synchronized Optional<byte[]> content(String bucket, String key) {
        java.util.List<Version> versions = objects.get(bucket + "/" + key);
        return versions == null || versions.isEmpty() ? Optional.empty()
                : Optional.of(versions.get(versions.size() - 1).content());
    }

    public synchronized java.util.SortedSet<String> keys(String bucket) {
        java.util.SortedSet<String> keys = new java.util.TreeSet<>();
        objects.keySet().stream().filter(k -> k.startsWith(bucket + "/")).forEach(k -> keys.add(k.substring(bucket.length() + 1)));
        return keys;
    }

    private synchronized Optional<Version> find(String bucket, String key, String versionId) {
        java.util.List<Version> versions = objects.get(bucket + "/" + key);
        if (versions == null || versions.isEmpty()) {
            return Optional.empty();
        }
        if (versionId.isEmpty()) {
            return Optional.of(versions.get(versions.size() - 1));
        }
        return versions.stream().filter(v -> v.versionId().equals(versionId)).findFirst();
    }

    @Override
    public Optional<StoredObject> head(String bucket, String key, String versionId) {
        return find(bucket, key, versionId).map(v -> new StoredObject(bucket, key, v.versionId(), v.eTag(),
                v.lastModified(), v.content().length));
    }

    @Override
    public InputStream get(String bucket, String key, String versionId, String ifMatch) throws java.io.IOException {
        Version v = find(bucket, key, versionId).orElseThrow(() -> new NotFound("s3://" + bucket + "/" + key));
        if (!ifMatch.isEmpty() && !ifMatch.equals(v.eTag())) {
            throw new Changed("s3://" + bucket + "/" + key);
        }
        return new ByteArrayInputStream(v.content());
    }

    @Override
    public synchronized boolean putIfAbsent(String bucket, String key, byte[] content, String contentType) {
        if (find(bucket, key, "").isPresent()) {
            return false;
        }
        upload(bucket, key, content);
        return true;
    }

    @Override
    public synchronized java.util.List<String> list(String bucket, String prefix) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        objects.forEach((k, versions) -> {
            if (k.startsWith(bucket + "/" + prefix) && !versions.isEmpty()) {
                keys.add(k.substring(bucket.length() + 1));
            }
        });
        keys.sort(java.util.Comparator.comparing(k -> k.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                java.util.Arrays::compareUnsigned));
        return keys;
    }

    @Override
    public void put(String bucket, String key, byte[] content, String contentType) {
        upload(bucket, key, content);
    }

    static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
