package dev.dopq.server.rmi;

import dev.dopq.api.DopqSession;
import dev.dopq.api.HistoryQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many clients at once through real RMI: each logs in with its own session and makes a stream of calls, one in
 * twenty a change (admins lock and unlock the queue, add users and clear the history; users renew their token,
 * which ends their session, and log in again with the new one). No call may fail. The counts are reported, not
 * timed. The ten admin clients share one account, so the server allows more sessions per user than it ships with.
 */
class ConcurrentClientsIT {
    private static final Logger LOG = LoggerFactory.getLogger(ConcurrentClientsIT.class);
    private static final int CLIENTS = 50;
    private static final int CALLS = 100;
    private static final int ADMINS = 10;
    private static final int USERS = CLIENTS - ADMINS;

    @TempDir
    static Path dir;
    static ApiTestServer server;
    static final List<String[]> accounts = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = ApiTestServer.start(dir, Map.of("max_sessions", Integer.toString(ADMINS + 2)));
        DopqSession admin = server.admin();
        for (int u = 0; u < USERS; u++) {
            accounts.add(new String[]{"user" + u, admin.addUser("user" + u, false)});
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void fifty_clients_making_a_hundred_calls_each_see_no_errors() throws Exception {
        Queue<String> errors = new ConcurrentLinkedQueue<>();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger mutations = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(CLIENTS);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    DopqSession session = open(client);
                    DopqSession[] current = {session};
                    ready.countDown();
                    go.await();
                    for (int i = 0; i < CALLS; i++) {
                        boolean mutation = i % 20 == client % 20;
                        try {
                            current[0] = call(current[0], client, i, mutation);
                        } catch (Exception e) {
                            errors.add("client " + client + " call " + i + ": " + e);
                        }
                        calls.incrementAndGet();
                        if (mutation) {
                            mutations.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            assertThat(ready.await(2, TimeUnit.MINUTES)).as("all clients logged in").isTrue();
            go.countDown();
            for (Future<?> f : clients) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        LOG.info("{} clients made {} calls ({} changes): {} errors", CLIENTS, calls.get(), mutations.get(),
                errors.size());
        errors.stream().limit(20).forEach(e -> LOG.info("error: {}", e));

        assertThat(calls.get()).isEqualTo(CLIENTS * CALLS);
        assertThat(mutations.get()).isEqualTo(CLIENTS * CALLS / 20);
        assertThat(errors).isEmpty();
        server.admin().unlock();
        assertThat(server.admin().status().locked()).isFalse();
    }

    private static DopqSession open(int client) throws Exception {
        if (client < ADMINS) {
            return server.admin();
        }
        String[] account = accounts.get(client - ADMINS);
        return server.loginObject().login(account[0], account[1]);
    }

    /** Makes one call; returns the session to go on with (a new one after the user renewed its token). */
    private static DopqSession call(DopqSession s, int client, int i, boolean mutation) throws Exception {
        if (mutation) {
            return change(s, client, i);
        }
        switch (i % 7) {
            case 0 -> s.status();
            case 1 -> s.running();
            case 2 -> s.queue();
            case 3 -> s.history(HistoryQuery.latest(50));
            case 4 -> s.users();
            case 5 -> s.gpus();
            default -> s.whoami();
        }
        return s;
    }

    private static DopqSession change(DopqSession s, int client, int i) throws Exception {
        if (client >= ADMINS) {
            String name = accounts.get(client - ADMINS)[0];
            return server.loginObject().login(name, s.newToken(name));
        }
        switch ((i / 20) % 4) {
            case 0 -> s.lock();
            case 1 -> s.unlock();
            case 2 -> s.addUser("extra" + client + "x" + i, false);
            default -> s.clearHistory(null);
        }
        return s;
    }
}
