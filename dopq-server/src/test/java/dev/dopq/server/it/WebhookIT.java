package dev.dopq.server.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.dopq.api.DopqSession;
import dev.dopq.api.JobView;
import dev.dopq.server.store.Database;
import dev.dopq.server.testutil.Await;
import dev.dopq.server.testutil.EngineLeftovers;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code [notify] webhook}: a real local HTTP receiver gets one POST per finished job, also after failures. */
class WebhookIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private HttpServer receiver;
    private final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile int failNext;
    private TestServer server;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        receiver.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = 200;
            if (failNext > 0) {
                failNext--;
                refused.incrementAndGet();
                status = 503;
            } else {
                accepted.add(JSON.readTree(new String(body, StandardCharsets.UTF_8)));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
            EngineLeftovers.removeOf(server.instance());
        }
        receiver.stop(0);
    }

    private TestServer startServer() throws Exception {
        return TestServer.start(dir, "0", "[notify]\nwebhook = http://127.0.0.1:" + receiver.getAddress().getPort()
                + "/hook\nbackoff = 1s\nretries = 5\n");
    }

    /** Stops the server and reads its outbox: {@code [waiting, delivered, given up]}. */
    private long[] stopAndReadOutbox() throws Exception {
        server.close();
        EngineLeftovers.removeOf(server.instance());
        server = null;
        try (Database db = Database.open(dir.resolve("state").resolve("db").resolve("dopq"))) {
            return db.outbox().counts();
        }
    }

    private Map<String, String> stateById() {
        return accepted.stream().collect(Collectors.toMap(n -> n.path("job").path("id").asText(),
                n -> n.path("job").path("state").asText(), (a, b) -> a + "," + b));
    }

    @Test
    void each_finished_job_is_posted_once_with_its_id_and_state_and_a_refused_post_is_sent_again()
            throws Exception {
        server = startServer();
        DopqSession admin = server.admin();
        failNext = 1;
        aZip().name("ok").user("ana").command("true").dropInto(server.inbox(), "ok.zip");
        aZip().name("bad").user("bob").command("sh", "-c", "exit 3").dropInto(server.inbox(), "bad.zip");

        JobView ok = TestServer.awaitHistory(admin, j -> j.name().equals("ok"), WAIT).orElseThrow();
        JobView bad = TestServer.awaitHistory(admin, j -> j.name().equals("bad"), WAIT).orElseThrow();
        Await.until("two notifications accepted", WAIT, () -> accepted.size() >= 2 ? Optional.of(true)
                : Optional.empty());
        long[] outbox = stopAndReadOutbox();

        // nothing left to send: a delivered notification is never sent again, so these are all the POSTs
        assertThat(outbox).containsExactly(0, 2, 0);
        assertThat(accepted).hasSize(2);
        assertThat(refused.get()).isEqualTo(1);
        assertThat(stateById()).containsOnly(Map.entry(ok.id(), "SUCCEEDED"), Map.entry(bad.id(), "FAILED"));
        assertThat(accepted).allSatisfy(n -> assertThat(n.path("text").asText()).startsWith("dopq: job "));
    }

    @Test
    void a_notification_not_delivered_before_a_stop_is_delivered_once_after_the_restart() throws Exception {
        server = startServer();
        DopqSession admin = server.admin();
        failNext = Integer.MAX_VALUE;
        aZip().name("late").user("ana").command("true").dropInto(server.inbox(), "late.zip");
        JobView late = TestServer.awaitHistory(admin, j -> j.name().equals("late"), WAIT).orElseThrow();
        Await.until("a refused delivery", WAIT, () -> refused.get() > 0 ? Optional.of(true) : Optional.empty());
        server.stop(true);
        server = null;

        failNext = 0;
        server = startServer();
        Await.until("the notification after the restart", WAIT, () -> accepted.isEmpty() ? Optional.empty()
                : Optional.of(true));
        long[] outbox = stopAndReadOutbox();

        assertThat(outbox).containsExactly(0, 1, 0);
        assertThat(accepted).hasSize(1);
        assertThat(stateById()).containsOnly(Map.entry(late.id(), "SUCCEEDED"));
    }
}
