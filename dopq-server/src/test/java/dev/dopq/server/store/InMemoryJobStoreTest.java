package dev.dopq.server.store;

import java.time.Clock;

class InMemoryJobStoreTest extends JobStoreContract {
    @Override
    protected JobStore newStore(Clock clock) {
        return new InMemoryJobStore(clock);
    }
}
