package dev.dopq.server.store;

class InMemorySettingsStoreTest extends SettingsStoreContract {
    @Override
    protected SettingsStore newStore() {
        return new InMemorySettingsStore();
    }
}
