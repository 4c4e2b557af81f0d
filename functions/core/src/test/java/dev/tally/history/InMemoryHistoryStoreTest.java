package dev.tally.history;

class InMemoryHistoryStoreTest extends HistoryStoreContract {
    @Override
    protected HistoryStore newStore() {
        return new InMemoryHistoryStore();
    }
}
