package dev.dopq.server.store;

class InMemoryUidStoreTest extends UidStoreContract {
    @Override
    protected UidStore newStore() {
        return new InMemoryUidStore();
    }
}
