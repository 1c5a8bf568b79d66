package dev.dopq.server.service;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.store.InMemoryJobStore;
import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DependenciesTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T12:00:00Z");
    private final Jobs jobs = new Jobs(new InMemoryJobStore(clock));
    private final Dependencies deps = new Dependencies(jobs, clock);

    private Job insert(Job.Builder b) {
        return jobs.insert(b.build(), "test");
    }

    @Test
    void references_are_ids_or_the_newest_job_of_the_user_with_that_name() {
        Job oldPrep = insert(aJob().name("prep").user("ana").state(JobState.SUCCEEDED));
        Job prep = insert(aJob().name("prep").user("ana").state(JobState.RUNNING));
        insert(aJob().name("prep").user("bob").state(JobState.QUEUED));

        assertThat(deps.resolve("ana", List.of("prep", String.valueOf(oldPrep.id())), "after"))
                .containsExactly(prep.id(), oldPrep.id());
    }

    @Test
    void an_unknown_reference_or_another_users_job_is_refused_with_a_reason() {
        Job bobs = insert(aJob().name("x").user("bob"));

        assertThatThrownBy(() -> deps.resolve("ana", List.of("train"), "after"))
                .hasMessage("after: unknown dependency \"train\": no job of ana has that id or name");
        assertThatThrownBy(() -> deps.resolve("ana", List.of(String.valueOf(bobs.id())), "after_any"))
                .hasMessageStartingWith("after_any: unknown dependency \"" + bobs.id() + "\"");
    }

    @Test
    void a_job_waits_while_its_dependency_runs_and_is_free_once_it_succeeded() {
        Job prep = insert(aJob().name("prep").state(JobState.RUNNING));
        Job train = insert(aJob().name("train").state(JobState.QUEUED).after(List.of(prep.id())));

        assertThat(deps.blocked()).containsEntry(train.id(), "waits for job " + prep.id() + " to succeed (it is running)");

        jobs.move(prep, JobState.SUCCEEDED, "test", b -> b.exitCode(0));
        assertThat(deps.blocked()).isEmpty();
        assertThat(jobs.find(train.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void a_failed_dependency_cancels_the_job_after_it_but_not_the_one_after_any() {
        Job prep = insert(aJob().name("prep").state(JobState.RUNNING));
        Job train = insert(aJob().name("train").state(JobState.QUEUED).after(List.of(prep.id())));
        Job report = insert(aJob().name("report").state(JobState.QUEUED).afterAny(List.of(prep.id())));

        assertThat(deps.blocked()).containsEntry(report.id(), "waits for job " + prep.id() + " to end (it is running)");
        jobs.move(prep, JobState.FAILED, "test", b -> b.exitCode(3));

        assertThat(deps.blocked()).isEmpty();
        Job cancelled = jobs.find(train.id()).orElseThrow();
        assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancelled.reason()).isEqualTo("dependency " + prep.id() + " failed");
        assertThat(jobs.find(report.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
    }
}
