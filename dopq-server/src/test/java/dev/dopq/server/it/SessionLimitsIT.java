package dev.dopq.server.it;

import dev.dopq.api.DopqSession;
import dev.dopq.api.InvalidRequestException;
import dev.dopq.api.JobView;
import dev.dopq.api.Uploads;
import dev.dopq.server.testutil.ServerFixture;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.file.Files;
import java.rmi.NoSuchObjectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a caller can hold of the API, on a real server: sessions per user, connections per address, uploads in
 * bounded chunks, and sessions that end when the user's token or account changes.
 */
class SessionLimitsIT {
    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.withGpus("0").withEnv(Map.of("DOPQ_API_MAX_SESSIONS", "3",
                "DOPQ_API_MAX_CONNECTIONS", "6"));
    static TestServer server;
    static DopqSession admin;

    @BeforeAll
    static void start() {
        server = fixture.server();
        admin = fixture.admin();
    }

    @Test
    void replacing_a_token_ends_every_session_opened_with_the_old_one() throws Exception {
        String token = admin.addUser("tina", false);
        DopqSession first = server.login("tina", token);
        DopqSession second = server.login("tina", token);
        assertThat(first.whoami()).isEqualTo("tina");

        String newer = admin.newToken("tina");

        assertThatThrownBy(first::whoami).isInstanceOf(NoSuchObjectException.class);
        assertThatThrownBy(second::whoami).isInstanceOf(NoSuchObjectException.class);
        assertThat(server.login("tina", newer).whoami()).isEqualTo("tina");
    }

    @Test
    void removing_a_user_ends_its_sessions() throws Exception {
        DopqSession rita = server.login("rita", admin.addUser("rita", false));
        assertThat(rita.whoami()).isEqualTo("rita");

        admin.removeUser("rita");

        assertThatThrownBy(rita::whoami).isInstanceOf(NoSuchObjectException.class);
    }

    @Test
    void a_user_past_the_session_cap_loses_the_least_recently_used_session_not_the_new_one() throws Exception {
        String token = admin.addUser("sam", false);
        List<DopqSession> sessions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sessions.add(server.login("sam", token));
            sessions.get(i).whoami();
        }

        assertThatThrownBy(sessions.get(0)::whoami).as("the oldest of 4 with max_sessions = 3")
                .isInstanceOf(NoSuchObjectException.class);
        for (DopqSession kept : sessions.subList(1, 4)) {
            assertThat(kept.whoami()).isEqualTo("sam");
        }
    }

    @Test
    void an_upload_arrives_in_chunks_and_more_than_it_announced_is_refused() throws Exception {
        String token = admin.addUser("ula", false);
        DopqSession ula = server.login("ula", token);

        JobView job = Uploads.submit(ula, "chunked.zip", aZip().name("chunked").user("ula").gpus(0).command("true")
                .bytes());
        assertThat(job.state()).isEqualTo("RECEIVED");
        assertThat(job.user()).isEqualTo("ula");

        String id = ula.beginUpload("short.zip", 10);
        assertThatThrownBy(() -> ula.uploadChunk(id, new byte[11])).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("more than the 10 bytes");
        assertThatThrownBy(() -> ula.beginUpload("huge.zip", 1L << 40)).isInstanceOf(InvalidRequestException.class);
        String unfinished = ula.beginUpload("half.zip", 10);
        ula.uploadChunk(unfinished, new byte[5]);
        assertThatThrownBy(() -> ula.finishUpload(unfinished)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("5 of its 10 bytes");
    }

    @Test
    void connections_past_the_cap_from_one_address_are_closed_and_the_server_keeps_serving() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                held.add(new Socket("127.0.0.1", server.port()));
            }
            int closed = 0;
            for (Socket s : held) {
                s.setSoTimeout(2000);
                try {
                    if (s.getInputStream().read() < 0) {
                        closed++;
                    }
                } catch (java.net.SocketTimeoutException open) {
                    // held open by the server: within the cap
                } catch (java.io.IOException reset) {
                    closed++;
                }
            }
            assertThat(closed).as("of 10 idle connections with max_connections = 6 (the client's own may count)")
                    .isGreaterThanOrEqualTo(4);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        assertThat(Files.exists(server.state())).isTrue();
        assertThat(admin.status()).as("served again once the extra connections are gone").isNotNull();
    }
}
