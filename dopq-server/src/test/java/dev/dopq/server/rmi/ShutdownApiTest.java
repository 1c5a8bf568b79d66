package dev.dopq.server.rmi;

import dev.dopq.api.DopqSession;
import dev.dopq.api.Uploads;
import dev.dopq.api.HistoryQuery;
import dev.dopq.server.testutil.JobZips;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.rmi.RemoteException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A submit that arrives once the server stops gets a clean connection error, and nothing is recorded. */
class ShutdownApiTest {
    @TempDir
    Path dir;

    @Test
    void a_submit_after_the_stop_began_fails_cleanly_and_the_next_start_finds_no_job() throws Exception {
        byte[] zip = JobZips.aZip().name("late").user("ana").bytes();
        DopqSession admin;
        try (ApiTestServer server = ApiTestServer.startWithoutEngine(dir, Map.of())) {
            admin = server.admin();
            assertThat(Uploads.submit(admin, "warmup.zip", JobZips.aZip().name("warmup").user("ana").bytes())).isNotNull();
            server.close();

            // the API is unexported first: the call never reaches intake
            assertThatThrownBy(() -> Uploads.submit(admin, "late.zip", zip)).isInstanceOf(RemoteException.class);
        }

        try (ApiTestServer again = ApiTestServer.startWithoutEngine(dir, Map.of())) {
            DopqSession s = again.admin();
            assertThat(s.history(HistoryQuery.latest(100))).extracting(j -> j.name()).doesNotContain("late");
            assertThat(s.queue()).extracting(j -> j.name()).doesNotContain("late");
            assertThat(s.running()).extracting(j -> j.name()).doesNotContain("late");
        }
    }
}
