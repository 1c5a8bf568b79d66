package dev.dopq.server.it;

import dev.dopq.api.ApiException;
import dev.dopq.api.DopqLogin;
import dev.dopq.api.DopqSession;
import dev.dopq.api.NotFoundException;
import dev.dopq.api.ConflictException;
import dev.dopq.api.HistoryQuery;
import dev.dopq.api.JobView;
import dev.dopq.api.PermissionDeniedException;
import dev.dopq.api.Uploads;
import dev.dopq.api.QueuePage;
import dev.dopq.api.QueueQuery;
import dev.dopq.server.rmi.ApiTestServer;
import dev.dopq.server.testutil.EngineLeftovers;
import dev.dopq.server.testutil.TestServer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Who may do what through the real RMI API: anonymous readers read only, users touch only their own jobs,
 * and lock, shutdown, clear history and user management are for admins.
 */
class ApiAuthorizationIT {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    static TestServer server;
    static ApiTestServer open;
    static DopqSession admin;
    static DopqSession ana;
    static DopqSession bob;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Files.createDirectories(dir.resolve("closed")), "0", "");
        open = ApiTestServer.start(dir.resolve("open"), Map.of("anonymous_read", "yes"));
        admin = server.admin();
        ana = server.login("ana", admin.addUser("ana", false));
        bob = server.login("bob", admin.addUser("bob", false));
    }

    @AfterAll
    static void stop() throws Exception {
        if (open != null) {
            open.close();
        }
        if (server != null) {
            server.close();
            EngineLeftovers.removeOf(server.instance());
        }
    }

    private static DopqLogin loginObject(TestServer s) throws Exception {
        return (DopqLogin) LocateRegistry.getRegistry("127.0.0.1", s.port()).lookup(DopqLogin.BINDING);
    }

    private static DopqLogin loginObject(ApiTestServer s) throws Exception {
        return s.loginObject();
    }

    @Test
    void an_anonymous_session_is_refused_when_anonymous_reading_is_off() throws Exception {
        DopqLogin login = loginObject(server);

        assertThatThrownBy(login::anonymous)
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("anonymous reading is off");
    }

    @Test
    void an_anonymous_reader_can_read_when_the_server_allows_it() throws Exception {
        DopqSession reader = loginObject(open).anonymous();

        assertThat(reader.whoami()).isEqualTo("anonymous");
        assertThat(reader.status().locked()).isFalse();
        assertThat(reader.running()).isEmpty();
        assertThat(reader.queue()).isEmpty();
        assertThat(reader.queue(QueueQuery.head(10))).isEqualTo(new QueuePage(0, 0, 0, List.of()));
        assertThat(reader.history(HistoryQuery.latest(10))).isEmpty();
        assertThat(reader.gpus()).hasSize(1);
        assertThat(reader.users()).isNotNull();
    }

    @Test
    void every_mutation_by_an_anonymous_reader_is_denied() throws Exception {
        DopqSession reader = loginObject(open).anonymous();
        byte[] zip = aZip().user("ana").bytes();

        Map<String, ThrowingCallable> mutations = Map.of(
                "delete", () -> reader.delete("1"),
                "cancel", () -> reader.cancel("1"),
                "lock", reader::lock,
                "unlock", reader::unlock,
                "shutdown", () -> reader.shutdown(false),
                "clearHistory", () -> reader.clearHistory(null),
                "addUser", () -> reader.addUser("eve", true),
                "submit", () -> reader.beginUpload("job.zip", zip.length),
                "removeUser", () -> reader.removeUser("ana"),
                "newToken", () -> reader.newToken("ana"));

        Map<String, ThrowingCallable> newer = Map.of(
                "cancel --now", () -> reader.cancel("1", true),
                "removeUser keeping jobs", () -> reader.removeUser("ana", false),
                "setAdmin", () -> reader.setAdmin("ana", true));

        mutations.forEach((name, call) -> assertThatThrownBy(call).as(name)
                .isInstanceOf(PermissionDeniedException.class));
        newer.forEach((name, call) -> assertThatThrownBy(call).as(name)
                .isInstanceOf(PermissionDeniedException.class));
        assertThat(reader.status().locked()).isFalse();
        assertThat(open.admin().listUsers()).noneMatch(u -> u.name().equals("eve"));
    }

    @Test
    void a_wrong_token_or_an_unknown_user_is_refused_with_a_one_line_message() throws Exception {
        DopqLogin login = loginObject(server);

        for (ThrowingCallable attempt : List.<ThrowingCallable>of(
                () -> login.login("ana", "not-the-token"),
                () -> login.login("nobody", server.adminToken()),
                () -> login.login("admin", ""))) {
            assertThatThrownBy(attempt)
                    .isInstanceOf(PermissionDeniedException.class)
                    .hasMessage("unknown user or wrong token");
        }
    }

    @Test
    void another_user_can_neither_delete_nor_cancel_a_job_and_is_told_whose_it_is() throws Exception {
        JobView first = Uploads.submit(ana, "first.zip",
                aZip().name("first").user("ana").command("sleep", "300").bytes());
        JobView second = Uploads.submit(ana, "second.zip",
                aZip().name("second").user("ana").command("sleep", "300").bytes());
        // The two builds run side by side: whichever image is ready first takes the only GPU.
        JobView sleeping = awaitJob(ana::running, j -> j.id().equals(first.id()) || j.id().equals(second.id()));
        JobView waiting = sleeping.id().equals(first.id()) ? second : first;
        awaitJob(ana::queue, j -> j.id().equals(waiting.id()));

        assertThatThrownBy(() -> bob.cancel(sleeping.id()))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("belongs to ana");
        assertThatThrownBy(() -> bob.cancel(sleeping.id(), true))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("belongs to ana");
        assertThatThrownBy(() -> bob.logs(sleeping.id(), 1, 0, 1024))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("belongs to ana");
        assertThatThrownBy(() -> bob.delete(waiting.id()))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageContaining("belongs to ana");
        assertThat(admin.job(sleeping.id()).job().state()).isEqualTo("RUNNING");
        assertThat(admin.job(waiting.id()).job().state()).isNotIn("CANCELLED");

        assertThat(ana.delete(waiting.id()).state()).isEqualTo("CANCELLED");
        ana.cancel(sleeping.id());
        JobView cancelled = TestServer.awaitHistory(ana, j -> j.id().equals(sleeping.id()), WAIT).orElseThrow();
        assertThat(cancelled.state()).isEqualTo("CANCELLED");
        assertThat(cancelled.reason()).contains("ana");
    }

    @Test
    void a_user_who_is_not_an_admin_cannot_lock_shut_down_clear_history_or_manage_users() throws Exception {
        Map<String, ThrowingCallable> adminOnly = Map.of(
                "lock", bob::lock,
                "unlock", bob::unlock,
                "shutdown", () -> bob.shutdown(true),
                "clearHistory", () -> bob.clearHistory(null),
                "addUser", () -> bob.addUser("mallory", true),
                "removeUser", () -> bob.removeUser("ana"),
                "removeUser keeping the jobs", () -> bob.removeUser("ana", false),
                "listUsers", bob::listUsers,
                "newToken for someone else", () -> bob.newToken("ana"));

        adminOnly.forEach((name, call) -> assertThatThrownBy(call).as(name)
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessageNotContaining("\n"));
        assertThat(admin.status().locked()).isFalse();
        assertThat(admin.listUsers()).noneMatch(u -> u.name().equals("mallory"));
        assertThat(bob.whoami()).isEqualTo("bob");
    }

    @Test
    void an_admin_can_lock_and_unlock_the_queue_and_status_shows_it() throws Exception {
        try {
            admin.lock();
            assertThat(bob.status().locked()).isTrue();
        } finally {
            admin.unlock();
        }
        assertThat(bob.status().locked()).isFalse();
    }

    @Test
    void an_admin_can_add_users_and_clear_the_history() throws Exception {
        String token = admin.addUser("carol", false);
        DopqSession carol = server.login("carol", token);
        JobView job = Uploads.submit(carol, "done.zip",
                aZip().name("done").user("carol").gpus(0).command("true").bytes());
        TestServer.awaitHistory(carol, j -> j.id().equals(job.id()), WAIT).orElseThrow();

        int removed = admin.clearHistory(Instant.now().plusSeconds(60));

        assertThat(carol.whoami()).isEqualTo("carol");
        assertThat(removed).isGreaterThanOrEqualTo(1);
        assertThat(admin.history(HistoryQuery.latest(1000))).noneMatch(j -> j.id().equals(job.id()));
    }

    @Test
    void an_admin_can_shut_the_server_down() throws Exception {
        try (TestServer own = TestServer.start(Files.createDirectories(dir.resolve("shutdown")), "0", "")) {
            DopqSession ownAdmin = own.admin();

            ownAdmin.shutdown(false);

            assertThat(awaitUnreachable(ownAdmin)).as("the API stops answering after shutdown").isTrue();
        }
    }

    private static boolean awaitUnreachable(DopqSession session) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            try {
                session.status();
            } catch (RemoteException gone) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    @FunctionalInterface
    private interface JobList {
        List<JobView> get() throws RemoteException, ApiException;
    }

    private static JobView awaitJob(JobList list, Predicate<JobView> test) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(deadline)) {
            for (JobView j : list.get()) {
                if (test.test(j)) {
                    return j;
                }
            }
            Thread.sleep(200);
        }
        return fail("no matching job within " + WAIT);
    }

    @Test
    void an_admin_gives_and_takes_the_admin_right_and_taking_it_ends_the_users_sessions() throws Exception {
        DopqSession dave = server.login("dave", admin.addUser("dave", false));
        assertThatThrownBy(() -> bob.setAdmin("bob", true)).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(dave::lock).isInstanceOf(PermissionDeniedException.class);

        admin.setAdmin("dave", true);
        String token = dave.newToken("dave");
        DopqSession daveAdmin = server.login("dave", token);
        daveAdmin.lock();
        daveAdmin.unlock();
        assertThatThrownBy(() -> daveAdmin.setAdmin("dave", false)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("your own admin right");
        assertThatThrownBy(() -> admin.setAdmin("dave", true)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("an admin already");
        assertThatThrownBy(() -> admin.setAdmin("nobody-here", true)).isInstanceOf(NotFoundException.class);

        admin.setAdmin("dave", false);

        assertThatThrownBy(daveAdmin::status).as("the session opened as admin has ended").isNotNull();
        DopqSession daveAgain = server.login("dave", token);
        assertThatThrownBy(daveAgain::lock).isInstanceOf(PermissionDeniedException.class);
        assertThat(admin.listUsers()).filteredOn(u -> u.name().equals("dave")).singleElement()
                .satisfies(u -> assertThat(u.admin()).isFalse());
        assertThat(admin.status().locked()).isFalse();
    }
}
