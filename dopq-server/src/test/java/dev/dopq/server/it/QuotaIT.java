package dev.dopq.server.it;

import dev.dopq.api.DopqSession;
import dev.dopq.api.HistoryQuery;
import dev.dopq.api.JobView;
import dev.dopq.api.Uploads;
import dev.dopq.api.QuotaInfo;
import dev.dopq.server.testutil.Await;
import dev.dopq.server.testutil.EngineLeftovers;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code [users] max_gpus = 1} on two declared GPUs, on the real engine. */
class QuotaIT {
    private static final Duration WAIT = Duration.ofSeconds(180);

    @TempDir
    static Path dir;
    static TestServer server;
    static DopqSession admin;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, "0,1", "max_gpus = 1\n", "");
        admin = server.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
            EngineLeftovers.removeOf(server.instance());
        }
    }

    private static String submit(String name, String user, int seconds) throws Exception {
        byte[] zip = aZip().name(name).user(user).command("sh", "-c", "sleep " + seconds).bytes();
        return Uploads.submit(admin, name + ".zip", zip).id();
    }

    @Test
    void a_user_at_max_gpus_never_holds_two_gpus_while_another_users_job_gets_the_second() throws Exception {
        List<String> ana = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ana.add(submit("ana-" + i, "ana", 6));
        }
        // one of ana's jobs runs and the others wait for her quota, not for a GPU: GPU 1 stays free for others
        Await.until("one of ana's jobs running and the other two waiting for her quota", WAIT, () -> {
            List<JobView> running = admin.running();
            long quotaWaits = 0;
            for (String id : ana) {
                String why = admin.job(id).waiting();
                quotaWaits += why != null && why.contains("quota: ana holds 1 of 1 GPUs") ? 1 : 0;
            }
            return running.size() == 1 && quotaWaits == 2 ? Optional.of(true) : Optional.empty();
        });
        String bob = submit("bob-1", "bob", 4);

        List<JobView> seen = new ArrayList<>();
        Await.until("all four jobs ended", WAIT, () -> {
            List<JobView> running = admin.running();
            seen.addAll(running);
            long anaGpus = running.stream().filter(j -> j.user().equals("ana")).mapToLong(j -> j.gpus().size()).sum();
            assertThat(anaGpus).as("GPUs ana holds at once").isLessThanOrEqualTo(1);
            List<JobView> ended = admin.history(HistoryQuery.latest(100));
            return ended.size() == 4 ? Optional.of(ended) : Optional.empty();
        });

        List<JobView> history = admin.history(HistoryQuery.latest(100));
        assertThat(history).allMatch(j -> j.state().equals("SUCCEEDED"));
        List<JobView> anaRuns = history.stream().filter(j -> j.user().equals("ana")).toList();
        for (JobView a : anaRuns) {
            for (JobView b : anaRuns) {
                if (!a.id().equals(b.id())) {
                    assertThat(overlap(a, b)).as("ana's jobs %s and %s ran at the same time", a.id(), b.id())
                            .isFalse();
                }
            }
        }
        JobView bobRun = history.stream().filter(j -> j.id().equals(bob)).findFirst().orElseThrow();
        assertThat(anaRuns).as("bob's job ran beside one of ana's, on the other GPU")
                .anyMatch(a -> overlap(a, bobRun) && !a.gpus().equals(bobRun.gpus()));
        assertThat(bobRun.startedAt()).as("bob did not wait for all of ana's jobs")
                .isBefore(anaRuns.stream().map(JobView::startedAt).max(Instant::compareTo).orElseThrow());
        assertThat(seen).extracting(JobView::id).contains(bob);
    }

    @Test
    void an_admin_changes_a_quota_at_run_time_and_sees_it_with_each_users_use() throws Exception {
        List<QuotaInfo> rows = admin.setQuota("bob", "max_gpus", "2");

        assertThat(rows.get(0).user()).isEqualTo(QuotaInfo.DEFAULT_USER);
        assertThat(rows.get(0).maxGpus()).isEqualTo(1);
        assertThat(rows).filteredOn(r -> r.user().equals("bob")).singleElement()
                .satisfies(r -> {
                    assertThat(r.maxGpus()).isEqualTo(2);
                    assertThat(r.source()).isEqualTo("run time");
                });
        assertThat(admin.quotas()).filteredOn(r -> r.user().equals("ana")).singleElement()
                .satisfies(r -> assertThat(r.maxGpus()).isEqualTo(1));
        admin.setQuota("bob", "max_gpus", "reset");
        assertThat(admin.quotas()).filteredOn(r -> r.user().equals("bob")).singleElement()
                .satisfies(r -> assertThat(r.maxGpus()).isEqualTo(1));
    }

    private static boolean overlap(JobView a, JobView b) {
        return a.startedAt().isBefore(b.finishedAt()) && b.startedAt().isBefore(a.finishedAt());
    }
}
