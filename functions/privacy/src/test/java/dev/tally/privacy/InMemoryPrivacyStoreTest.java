package dev.tally.privacy;

/** The privacy store contract against the in-memory store. */
class InMemoryPrivacyStoreTest extends PrivacyStoreContract {
    @Override
    protected PrivacyStore newStore() {
        return new InMemoryPrivacyStore();
    }
}
