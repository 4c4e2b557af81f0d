package dev.tally.delivery;

class InMemoryDeliveryLedgerTest extends DeliveryLedgerContract {
    @Override
    protected DeliveryLedger newLedger() {
        return new InMemoryDeliveryLedger();
    }
}
