package dev.dopq.server.it;

import dev.dopq.api.AttemptView;
import dev.dopq.api.DopqSession;
import dev.dopq.api.JobDetail;
import dev.dopq.api.JobView;
import dev.dopq.api.Uploads;
import dev.dopq.server.testutil.Await;
import dev.dopq.server.testutil.ServerFixture;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the server tells about a job is right the first time, against the real engine: refusals with their reason
 * and owner, every attempt's log, and a cancel that shows as stopping until the kill.
 */
class ConsoleTruthIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Traps TERM and goes on, so only the kill after the grace period ends it. */
    private static final String[] IGNORES_TERM = {"sh", "-c",
            "trap 'echo got TERM' TERM; echo started; while true; do sleep 1; done"};

    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.withGpus("0,1").withIni("[queue]\nstop_grace = 6s\n");
    static TestServer server;
    static DopqSession admin;

    @BeforeAll
    static void start() {
        server = fixture.server();
        admin = fixture.admin();
    }

    @Test
    void a_dropped_zip_with_a_mistyped_key_is_rejected_with_its_reason_as_its_users_job() throws Exception {
        aZip().name("typo").field("num_gpu", "1").dropInto(server.inbox(), "typo.zip");

        JobView job = ended("typo", j -> j.reason() != null && j.reason().contains("num_gpu"));

        assertThat(job.state()).isEqualTo("REJECTED");
        assertThat(job.reason()).contains("unknown key \"num_gpu\"").contains("did you mean \"num_gpus\"?");
        assertThat(job.user()).isEqualTo("ana");
        Path reason = server.inbox().resolve("ana/failed/typo.reason.txt");
        Await.until("the reason on the share", WAIT, () -> Optional.of(reason).filter(Files::exists));
        assertThat(Files.readString(reason).strip()).isEqualTo(job.reason());
    }

    @Test
    void a_submitted_zip_that_is_refused_reads_as_refused_with_the_reason_the_share_gets() throws Exception {
        JobView submitted = Uploads.submit(admin, "bad.zip", aZip().name("bad").field("num_gpu", "1").bytes());

        JobView job = Await.until("job " + submitted.id() + " to be judged", WAIT,
                () -> Optional.of(admin.job(submitted.id()).job()).filter(j -> j.finishedAt() != null));

        assertThat(job.state()).isEqualTo("REJECTED");
        assertThat(job.startedAt()).isNull();
        assertThat(job.reason()).contains("num_gpu");
    }

    @Test
    void every_attempt_of_a_retried_job_keeps_its_own_log_readable_by_number() throws Exception {
        aZip().name("twice").field("retries", "1").command("sh", "-c", "echo run on $(hostname); exit 3")
                .dropInto(server.inbox(), "twice.zip");

        JobView job = ended("twice", j -> true);
        String first = admin.logs(job.id(), 1, 0, 65536).text();
        String second = admin.logs(job.id(), 2, 0, 65536).text();
        JobDetail detail = admin.job(job.id());

        assertThat(job.state()).isEqualTo("FAILED");
        assertThat(job.attempt()).isEqualTo(2);
        assertThat(first).startsWith("run on ");
        assertThat(second).startsWith("run on ").isNotEqualTo(first);
        assertThat(admin.logs(job.id(), 1, 0, 65536).complete()).isTrue();
        assertThat(detail.attempts()).extracting(AttemptView::number).containsExactly(1, 2);
        assertThat(detail.attempts()).extracting(AttemptView::exitCode).containsExactly(3, 3);
        assertThat(detail.attempts()).extracting(AttemptView::logBytes).containsExactly((long) first.length(),
                (long) second.length());
        Path results = server.inbox().resolve("ana/results/" + job.id() + "-twice");
        Await.until("the results on the share", WAIT,
                () -> Optional.of(results.resolve("status.json")).filter(Files::exists));
        assertThat(results.resolve("attempt-1.log")).hasContent(first.strip());
        assertThat(results.resolve("attempt-2.log")).hasContent(second.strip());
        assertThat(results.resolve("output.log")).hasContent(second.strip());
    }

    @Test
    void a_cancelled_job_shows_as_stopping_with_its_kill_deadline_until_the_kill() throws Exception {
        aZip().name("stubborn").gpus(0).command(IGNORES_TERM).dropInto(server.inbox(), "stubborn.zip");
        JobView running = Await.until("job stubborn to run", WAIT,
                () -> named(admin.running(), "stubborn").filter(j -> j.startedAt() != null));
        awaitOutput(running.id(), "started");

        JobView answer = admin.cancel(running.id(), false);

        assertThat(answer.state()).isEqualTo("RUNNING");
        assertThat(answer.stopping()).isTrue();
        assertThat(Duration.between(answer.stopRequestedAt(), answer.killAt())).isEqualTo(Duration.ofSeconds(6));
        JobView listed = named(admin.running(), "stubborn").orElseThrow();
        assertThat(listed.stopping()).as("running lists it as stopping").isTrue();
        assertThat(listed.killAt()).isEqualTo(answer.killAt());
        assertThat(answer.killInSeconds()).isEqualTo(6L);
        assertThat(listed.killInSeconds()).as("time left before the kill").isBetween(0L, 6L);
        assertThat(admin.job(running.id()).events()).anySatisfy(e ->
                assertThat(e.reason()).isEqualTo("stopping: cancelled by admin (kill in 6s)"));
        JobView ended = Await.until("job stubborn to end", Duration.ofSeconds(30),
                () -> Optional.of(admin.job(running.id()).job()).filter(j -> !j.state().equals("RUNNING")));
        assertThat(ended.state()).isEqualTo("CANCELLED");
        assertThat(ended.reason()).isEqualTo("cancelled by admin");
        assertThat(ended.exitCode()).isEqualTo(137);
        assertThat(ended.stopping()).isFalse();
        assertThat(Duration.between(answer.stopRequestedAt(), ended.finishedAt()))
                .as("the job held out until the kill").isGreaterThanOrEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void cancel_now_kills_at_once() throws Exception {
        aZip().name("stubborn-now").gpus(0).command(IGNORES_TERM).dropInto(server.inbox(), "stubborn-now.zip");
        JobView running = Await.until("job stubborn-now to run", WAIT,
                () -> named(admin.running(), "stubborn-now").filter(j -> j.startedAt() != null));
        awaitOutput(running.id(), "started");

        JobView answer = admin.cancel(running.id(), true);

        assertThat(answer.killAt()).isEqualTo(answer.stopRequestedAt());
        JobView ended = Await.until("job stubborn-now to end", Duration.ofSeconds(5),
                () -> Optional.of(admin.job(running.id()).job()).filter(j -> !j.state().equals("RUNNING")));
        assertThat(ended.state()).isEqualTo("CANCELLED");
        assertThat(ended.exitCode()).isEqualTo(137);
    }

    @Test
    void a_job_whose_process_was_oom_killed_fails_as_out_of_memory_with_a_non_zero_exit_even_if_its_shell_went_on()
            throws Exception {
        aZip().name("greedy-child").gpus(0).field("required_memory", "\"32m\"")
                .command("sh", "-c", "sh -c 'x=a; while true; do x=$x$x; done'; echo the shell carried on")
                .dropInto(server.inbox(), "greedy-child.zip");

        JobView job = ended("greedy-child", j -> true);

        assertThat(admin.logs(job.id(), 0, 65536).text()).contains("the shell carried on");
        assertThat(job.state()).isEqualTo("FAILED");
        assertThat(job.reason()).startsWith("out of memory (limit 32 MiB)");
        assertThat(job.exitCode()).isNotNull().isNotZero();
    }

    private static void awaitOutput(String id, String text) throws Exception {
        Await.until("job " + id + " to print " + text, WAIT,
                () -> Optional.of(admin.logs(id, 0, 65536).text()).filter(t -> t.contains(text)));
    }

    private static JobView ended(String name, java.util.function.Predicate<JobView> test) throws Exception {
        return TestServer.awaitHistory(admin, j -> j.name().equals(name) && test.test(j), WAIT).orElseThrow(() -> new AssertionError("job " + name + " did not end within " + WAIT));
    }

    private static Optional<JobView> named(List<JobView> jobs, String name) {
        return jobs.stream().filter(j -> j.name().equals(name)).findFirst();
    }
}
