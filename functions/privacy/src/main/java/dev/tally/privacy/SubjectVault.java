package dev.tally.privacy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's subject ids at rest: sealed in parts while the request is open (the workers of part 2 open them to
 * find the subjects' records), and replaced by their keyed hashes once it is finished — the record stays as
 * evidence, the ids do not.
 *
 * <p>Ids are written as {@code <length>:<id>} (ids may contain any character, newlines included) and cut into
 * parts of at most {@value #PART_BYTES} bytes before sealing, each part sealed on its own and bound to the
 * request id and its position, so parts cannot be swapped between requests or reordered.
 */
public final class SubjectVault {
    /** Well under DynamoDB's 400 KB item limit, with room for keys and the seal's 28 bytes. */
    public static final int PART_BYTES = 300_000;

    private final PrivacyKeys keys;

    public SubjectVault(PrivacyKeys keys) {
        this.keys = keys;
    }

    public StoredSubjects seal(String requestId, List<String> ids) {
        List<byte[]> plain = encode(ids);
        List<byte[]> parts = new ArrayList<>(plain.size());
        for (int i = 0; i < plain.size(); i++) {
            parts.add(keys.seal(plain.get(i), context(requestId, i, plain.size())));
        }
        return new StoredSubjects(StoredSubjects.Form.SEALED, parts);
    }

    /**
     * @throws IllegalStateException when the subjects are hashed already (the request is finished), or a part
     *                               does not open with this key
     */
    public List<String> open(String requestId, StoredSubjects stored) {
        if (stored.form() != StoredSubjects.Form.SEALED) {
            throw new IllegalStateException("the subjects of request " + requestId + " are no longer held");
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < stored.parts().size(); i++) {
            decode(keys.unseal(stored.parts().get(i), context(requestId, i, stored.parts().size())), ids);
        }
        return ids;
    }

    /** The keyed hashes of the ids, in the same parts layout, for a finished request. */
    public StoredSubjects hashed(SubjectType type, List<String> ids) {
        return new StoredSubjects(StoredSubjects.Form.HASHED,
                encode(ids.stream().map(id -> keys.subjectHash(type, id)).toList()));
    }

    /** The hashes held for a finished request. */
    public static List<String> hashes(StoredSubjects stored) {
        if (stored.form() != StoredSubjects.Form.HASHED) {
            throw new IllegalStateException("subjects are sealed, not hashed");
        }
        List<String> hashes = new ArrayList<>();
        stored.parts().forEach(part -> decode(part, hashes));
        return hashes;
    }

    private static String context(String requestId, int part, int parts) {
        return "subjects:" + requestId + ":" + part + "/" + parts;
    }

    private static List<byte[]> encode(List<String> ids) {
        List<byte[]> parts = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        for (String id : ids) {
            byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
            byte[] entry = (bytes.length + ":").getBytes(StandardCharsets.US_ASCII);
            if (current.size() > 0 && current.size() + entry.length + bytes.length > PART_BYTES) {
                parts.add(current.toByteArray());
                current.reset();
            }
            current.writeBytes(entry);
            current.writeBytes(bytes);
        }
        if (current.size() > 0 || parts.isEmpty()) {
            parts.add(current.toByteArray());
        }
        return parts;
    }

    private static void decode(byte[] part, List<String> into) {
        int i = 0;
        while (i < part.length) {
            int colon = i;
            while (part[colon] != ':') {
                colon++;
            }
            int length = Integer.parseInt(new String(part, i, colon - i, StandardCharsets.US_ASCII));
            into.add(new String(part, colon + 1, length, StandardCharsets.UTF_8));
            i = colon + 1 + length;
        }
    }
}
