package dev.dopq.server.notify;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.NotifyTargets;
import dev.dopq.server.store.Database;
import dev.dopq.server.store.InMemorySettingsStore;
import dev.dopq.server.store.Outbox;
import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

class CourierTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final List<String> received = new ArrayList<>();
    private int failuresLeft;
    private Database db;
    private Outbox outbox;
    private Courier courier;
    private Notifications notifications;
    private final NotifyTargets users = new NotifyTargets(new InMemorySettingsStore());
    private final List<String> targets = new ArrayList<>();

    @BeforeEach
    void open() {
        db = Database.open(dir.resolve("db"), clock);
        outbox = db.outbox();
        Courier.Channel hook = (target, body) -> {
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new IOException("the webhook answered HTTP 503");
            }
            received.add(body);
            targets.add(target);
        };
        courier = new Courier(outbox, Map.of("webhook", hook), 4, Duration.ofSeconds(5), clock);
        notifications = new Notifications(outbox, "http://127.0.0.1:9/hook", users, false, clock, () -> { });
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Job ended(long id, JobState state) {
        Job running = aJob().id(id).name("train").user("ana").state(JobState.RUNNING)
                .startedAt(Instant.parse("2025-12-31T23:57:00Z")).build();
        Job done = running.toBuilder().state(state).exitCode(state == JobState.SUCCEEDED ? 0 : 3)
                .finishedAt(clock.instant()).build();
        notifications.changed(running, done);
        return done;
    }

    @Test
    void a_finished_job_is_posted_once_with_a_slack_text_and_the_job_as_json() {
        ended(7, JobState.SUCCEEDED);

        courier.deliverDue();
        courier.deliverDue();

        assertThat(received).singleElement().asString()
                .contains("\"text\":\"dopq: job 7 \\\"train\\\" of ana SUCCEEDED (exit 0) after 3m 0s\"")
                .contains("\"id\":\"7\"").contains("\"state\":\"SUCCEEDED\"").contains("\"user\":\"ana\"");
        assertThat(outbox.counts()).containsExactly(0, 1, 0);
    }

    @Test
    void the_same_end_told_twice_is_queued_once() {
        Job done = ended(8, JobState.FAILED);
        notifications.changed(done.toBuilder().state(JobState.RUNNING).build(), done);

        courier.deliverDue();

        assertThat(received).hasSize(1);
    }

    @Test
    void a_failed_delivery_is_retried_after_the_backoff_doubling_each_time() {
        failuresLeft = 2;
        ended(9, JobState.FAILED);

        courier.deliverDue();
        assertThat(received).isEmpty();
        assertThat(outbox.nextDue()).isEqualTo(clock.instant().plusSeconds(5));

        clock.advance(Duration.ofSeconds(4));
        courier.deliverDue();
        assertThat(outbox.due(clock.instant(), 10)).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        courier.deliverDue();
        assertThat(outbox.nextDue()).isEqualTo(clock.instant().plusSeconds(10));

        clock.advance(Duration.ofSeconds(10));
        courier.deliverDue();
        assertThat(received).hasSize(1);
        assertThat(outbox.counts()).containsExactly(0, 1, 0);
    }

    @Test
    void after_the_last_retry_a_notification_is_given_up_and_others_still_go_out() {
        failuresLeft = 4;
        ended(10, JobState.FAILED);
        for (int i = 0; i < 4; i++) {
            courier.deliverDue();
            clock.advance(Duration.ofMinutes(2));
        }
        assertThat(outbox.counts()).containsExactly(0, 0, 1);

        ended(11, JobState.SUCCEEDED);
        courier.deliverDue();

        assertThat(received).singleElement().asString().contains("\"id\":\"11\"");
    }

    @Test
    void a_job_that_has_not_ended_is_not_notified() {
        Job queued = aJob().id(12).state(JobState.QUEUED).build();
        notifications.changed(queued, queued.toBuilder().state(JobState.RUNNING).build());

        assertThat(outbox.counts()).containsExactly(0, 0, 0);
    }

    @Test
    void a_user_with_an_own_webhook_gets_their_jobs_there_too_and_an_address_only_when_smtp_is_set() {
        users.set("ana", "http://127.0.0.1:9/ana", "ana@lab.example");

        ended(13, JobState.SUCCEEDED);
        courier.deliverDue();

        assertThat(targets).containsExactlyInAnyOrder("http://127.0.0.1:9/hook", "http://127.0.0.1:9/ana");
        assertThat(outbox.counts()).containsExactly(0, 2, 0);
    }

    private Job withNotify(Job.Builder job, String notifyJson) {
        String spec = dev.dopq.container.JobSpecParser.parse("{\"name\": \"train\", \"executor_name\": \"ana\","
                + " \"notify\": " + notifyJson + "}", new dev.dopq.container.SpecPolicy(2, 1L << 35, false, false))
                .toJson();
        return job.specJson(spec).build();
    }

    @Test
    void a_job_asking_for_start_and_fail_tells_its_owner_when_it_starts_and_only_a_failed_end() {
        users.set("ana", "http://127.0.0.1:9/ana", null);
        Job queued = withNotify(aJob().id(14).name("train").user("ana").state(JobState.QUEUED), "[\"start\", \"fail\"]");
        Job running = queued.toBuilder().state(JobState.RUNNING).gpus(List.of("0")).startedAt(clock.instant()).build();
        notifications.changed(queued, running);
        notifications.changed(running, running.toBuilder().state(JobState.SUCCEEDED).exitCode(0)
                .finishedAt(clock.instant()).build());

        courier.deliverDue();

        // the owner hears of the start only (the end was a success); the server-wide hook hears of the end
        assertThat(targets).containsExactlyInAnyOrder("http://127.0.0.1:9/ana", "http://127.0.0.1:9/hook");
        assertThat(received).anySatisfy(b -> assertThat(b).contains("\"event\":\"start\"")
                .contains("started on GPUs 0"));
    }

    @Test
    void a_job_asking_for_fail_tells_its_owner_when_it_fails() {
        users.set("ana", "http://127.0.0.1:9/ana", null);
        Job running = withNotify(aJob().id(15).name("train").user("ana").state(JobState.RUNNING), "\"fail\"");
        notifications.changed(running, running.toBuilder().state(JobState.FAILED).exitCode(1)
                .finishedAt(clock.instant()).build());

        courier.deliverDue();

        assertThat(targets).containsExactlyInAnyOrder("http://127.0.0.1:9/ana", "http://127.0.0.1:9/hook");
    }

    @Test
    void a_start_queues_the_end_of_a_job_that_ended_just_before_a_crash_once_and_only_that_one() {
        Job unnotified = db.jobs().insert(aJob().name("lost").user("ana").state(JobState.SUCCEEDED).exitCode(0)
                .finishedAt(clock.instant().minus(Duration.ofHours(1))).build(), "t");
        Job notified = db.jobs().insert(aJob().name("told").user("ana").state(JobState.FAILED).exitCode(1)
                .finishedAt(clock.instant().minus(Duration.ofMinutes(30))).build(), "t");
        notifications.changed(notified.toBuilder().state(JobState.RUNNING).build(), notified);
        courier.deliverDue();
        received.clear();
        db.jobs().insert(aJob().name("old").user("ana").state(JobState.SUCCEEDED).exitCode(0)
                .finishedAt(clock.instant().minus(Duration.ofHours(10))).build(), "t");

        assertThat(notifications.catchUp(db.jobs(), Duration.ofHours(6))).isEqualTo(1);
        assertThat(notifications.catchUp(db.jobs(), Duration.ofHours(6))).as("a second start adds nothing").isZero();
        courier.deliverDue();

        assertThat(received).singleElement().asString().contains("\"id\":\"" + unnotified.id() + "\"")
                .contains("lost");
    }
}
