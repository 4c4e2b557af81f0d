package dev.tally.delivery;

import java.time.Instant;

class InMemoryObjectStoreTest extends ObjectStoreContract {
    @Override
    protected ObjectStore newStore(String bucket) {
        return new InMemoryObjectStore(false, Instant.parse("2017-03-01T00:00:00Z"));
    }
}
