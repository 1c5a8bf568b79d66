package dev.dopq.server.testutil;

import dev.dopq.api.DopqSession;
import dev.dopq.api.HistoryQuery;
import dev.dopq.api.JobView;
import dev.dopq.api.Uploads;
import dev.dopq.server.files.Trees;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One real server for all tests of a class, on a temporary folder, declared GPUs and a free port, with an admin
 * session; afterwards the server is stopped and what it left on the shared engine (by its instance label) and on
 * disk is removed:
 * <pre>{@code @RegisterExtension static final ServerFixture server = ServerFixture.withGpus("0,1");}</pre>
 */
public final class ServerFixture implements BeforeAllCallback, AfterAllCallback {
    private final String gpus;
    private final String extraIni;
    private final java.util.Map<String, String> env;
    private Path dir;
    private TestServer server;
    private DopqSession admin;

    private ServerFixture(String gpus, String extraIni, java.util.Map<String, String> env) {
        this.gpus = gpus;
        this.extraIni = extraIni;
        this.env = env;
    }

    /** A server with these declared GPUs ({@code "0,1"}) and the minimal config of {@link TestServer}. */
    public static ServerFixture withGpus(String gpus) {
        return new ServerFixture(gpus, "", java.util.Map.of());
    }

    /** The same with more config lines (e.g. {@code "[queue]\nremove_containers = no\n"}). */
    public ServerFixture withIni(String ini) {
        return new ServerFixture(gpus, extraIni + ini, env);
    }

    /** The same with environment overrides for the server ({@code DOPQ_<SECTION>_<KEY>}). */
    public ServerFixture withEnv(java.util.Map<String, String> overrides) {
        java.util.Map<String, String> all = new java.util.HashMap<>(env);
        all.putAll(overrides);
        return new ServerFixture(gpus, extraIni, java.util.Map.copyOf(all));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("dopq-" + context.getRequiredTestClass().getSimpleName() + "-");
        server = TestServer.start(dir, gpus, extraIni, env);
        admin = server.admin();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (server != null) {
                server.close();
                EngineLeftovers.removeOf(server.instance());
            }
        } finally {
            if (dir != null) {
                Trees.deleteTree(dir);
            }
        }
    }

    public TestServer server() {
        return server;
    }

    public DopqSession admin() {
        return admin;
    }

    public Path inbox() {
        return server.inbox();
    }

    public String instance() {
        return server.instance();
    }

    /** Uploads a zip as the admin does with {@code dopq submit}; the id of its (first) job. */
    public String submit(String fileName, byte[] zip) throws Exception {
        return Uploads.submit(admin, fileName, zip).id();
    }

    /** The job with this id once it has ended, as the history shows it. */
    public JobView ended(String id, Duration within) throws Exception {
        return Await.until("job " + id + " ended", within, () -> history().stream()
                .filter(j -> j.id().equals(id)).findFirst());
    }

    /** The latest 1000 ended jobs, newest first. */
    public List<JobView> history() throws Exception {
        return admin.history(HistoryQuery.latest(1000));
    }

    /** Why a queued job waits, once {@code part} is in it. */
    public String waiting(String id, String part, Duration within) throws Exception {
        return Await.until("job " + id + " waiting with \"" + part + "\"", within, () -> {
            String why = admin.job(id).waiting();
            return why != null && why.contains(part) ? Optional.of(why) : Optional.empty();
        });
    }
}
