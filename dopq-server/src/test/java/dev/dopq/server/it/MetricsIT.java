package dev.dopq.server.it;

import dev.dopq.api.DopqSession;
import dev.dopq.api.JobView;
import dev.dopq.api.SystemStatus;
import dev.dopq.server.testutil.Await;
import dev.dopq.server.testutil.EngineLeftovers;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code /metrics} of a real server running real jobs shows what {@code dopq status} shows. */
class MetricsIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    static TestServer server;
    static DopqSession admin;

    @BeforeAll
    static void start() throws Exception {
        // the mapping dir goes into the [gpu] section TestServer writes, right after its devices line
        server = TestServer.start(dir, "0\ndcgm_job_mapping_dir = dcgm",
                "[web]\nhost = 127.0.0.1\nport = " + TestServer.freePort() + "\n");
        admin = server.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
            EngineLeftovers.removeOf(server.instance());
        }
    }

    private static HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.webPort() + path));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sum of the samples of {@code family} whose labels contain {@code labelPart}. */
    private static double sum(String text, String family, String labelPart) {
        Matcher m = Pattern.compile("(?m)^" + family + "\\{([^}]*)\\} (\\S+)$").matcher(text);
        double total = 0;
        while (m.find()) {
            if (m.group(1).contains(labelPart)) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    @Test
    void job_counts_in_metrics_equal_the_counts_of_status_and_the_running_job_is_mapped_to_its_gpu()
            throws Exception {
        aZip().name("long").user("ana").command("sh", "-c", "sleep 60").dropInto(server.inbox(), "long.zip");
        JobView running = Await.until("the long job running", WAIT, () ->
                admin.running().stream().filter(j -> j.name().equals("long")).findFirst());
        aZip().name("next").user("bob").command("true").dropInto(server.inbox(), "next.zip");
        Await.until("a second job queued behind it", WAIT, () ->
                admin.status().queued() == 1 ? Optional.of(true) : Optional.empty());
        // the figures move only when a job changes state; both reads must see the same world
        String text;
        SystemStatus status;
        do {
            status = admin.status();
            text = get("/metrics", null).body();
        } while (!status.equals(admin.status()));

        assertThat(sum(text, "dopq_jobs", "state=\"QUEUED\"")).isEqualTo(status.queued());
        assertThat(sum(text, "dopq_jobs", "state=\"RUNNING\"")).isEqualTo(status.running());
        assertThat(sum(text, "dopq_jobs", "state=\"RECEIVED\"") + sum(text, "dopq_jobs", "state=\"BUILDING\""))
                .isEqualTo(status.building());
        assertThat(sum(text, "dopq_jobs", "user=\"ana\"")).isEqualTo(1);
        assertThat(sum(text, "dopq_gpus", "state=\"busy\"")).isEqualTo(1);
        assertThat(sum(text, "dopq_user_gpus_in_use", "user=\"ana\"")).isEqualTo(1);
        assertThat(text).containsPattern("dopq_gpu_job_info\\{UUID=\"\",gpu=\"0\",hostname=\"[^\"]+\",job=\""
                + running.id() + "\",user=\"ana\"\\} 1");
        assertThat(sum(text, "dopq_api_call_seconds_count", "method=\"status\"")).isGreaterThan(0);
        assertThat(java.nio.file.Files.readString(dir.resolve("dcgm").resolve("0")))
                .isEqualTo(running.id() + "\n");

        admin.cancel(running.id());
        Await.until("both jobs ended", WAIT, () -> admin.status().queued() + admin.status().running() == 0
                ? Optional.of(true) : Optional.empty());
        String after = get("/metrics", null).body();
        assertThat(sum(after, "dopq_jobs", "")).isZero();
        assertThat(sum(after, "dopq_jobs_finished_total", "outcome=\"CANCELLED\"")).isEqualTo(1);
        assertThat(sum(after, "dopq_jobs_finished_total", "outcome=\"SUCCEEDED\"")).isEqualTo(1);
    }

    @Test
    void openmetrics_is_served_when_asked_for_and_the_prometheus_text_format_otherwise() throws Exception {
        HttpResponse<String> om = get("/metrics", "application/openmetrics-text; version=1.0.0; charset=utf-8");
        HttpResponse<String> plain = get("/metrics", "text/plain");

        assertThat(om.headers().firstValue("Content-Type")).hasValueSatisfying(v ->
                assertThat(v).startsWith("application/openmetrics-text"));
        assertThat(om.body()).endsWith("# EOF\n");
        assertThat(plain.headers().firstValue("Content-Type")).hasValueSatisfying(v ->
                assertThat(v).startsWith("text/plain; version=0.0.4"));
        assertThat(plain.body()).contains("# TYPE dopq_jobs_submitted_total counter").contains("jvm_");
        assertThat(get("/healthz", null).body()).isEqualTo("ok\n");
    }
}
