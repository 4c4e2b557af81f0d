package dev.tally.privacy;

import java.util.List;

/**
 * A request's subject ids at rest, in parts small enough for one store item each (5000 ids of 512 characters
 * are 2.5 MB; a DynamoDB item holds 400 KB): sealed (AES-GCM, readable by the workers) while the request is open,
 * keyed hashes (one per line) once it is finished.
 */
public record StoredSubjects(Form form, List<byte[]> parts) {
    public enum Form { SEALED, HASHED }

    public StoredSubjects {
        parts = List.copyOf(parts);
    }
}
