package dev.tally.privacy;

import java.util.List;

/**
 * A request's subject ids in the store: opened from their seal for the work that needs them, and forgotten —
 * replaced by their keyed hashes — once the request is done with them. Shared by the API's engine (suppressions,
 * cancellation, failed confirmation) and the workers (the targets, a finished request).
 */
public final class RequestSubjects {
    private final PrivacyStore store;
    private final SubjectVault vault;

    public RequestSubjects(PrivacyStore store, PrivacyKeys keys) {
        this.store = store;
        this.vault = new SubjectVault(keys);
    }

    /** The ids sealed for a new request. */
    StoredSubjects seal(String requestId, List<String> ids) {
        return vault.seal(requestId, ids);
    }

    /** The raw subject ids of an open request. */
    public List<String> open(String id) {
        return vault.open(id, store.subjects(id).orElseThrow());
    }

    /** Replaces a request's sealed subject ids by their keyed hashes (idempotent). */
    public void forget(String id) {
        PrivacyRequest request = store.request(id).orElseThrow();
        store.subjects(id).filter(s -> s.form() == StoredSubjects.Form.SEALED).ifPresent(sealed ->
                store.replaceSubjects(id, vault.hashed(request.subjectType(), vault.open(id, sealed))));
    }
}
