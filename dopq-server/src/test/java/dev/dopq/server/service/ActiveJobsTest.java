package dev.dopq.server.service;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.QueuedJobs;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class ActiveJobsTest {

    private static Job job(long id, JobState state, long version) {
        return aJob().id(id).state(state).version(version).build();
    }

    @Test
    void keepsTheJobsThatAreNotTerminalInIdOrderWithCountsPerState() {
        ActiveJobs active = new ActiveJobs(List.of(job(3, JobState.QUEUED, 0), job(1, JobState.RUNNING, 2),
                job(2, JobState.QUEUED, 1), job(4, JobState.BUILDING, 0)));

        assertThat(active.inStates(EnumSet.of(JobState.QUEUED, JobState.RUNNING))).extracting(Job::id)
                .containsExactly(1L, 2L, 3L);
        assertThat(active.count(JobState.QUEUED)).isEqualTo(2);
        assertThat(active.count(JobState.RUNNING)).isEqualTo(1);
        assertThat(active.count(JobState.BUILDING)).isEqualTo(1);
        assertThat(active.count(JobState.RECEIVED)).isZero();
    }

    @Test
    void movesAJobBetweenStatesAndForgetsItWhenItEnds() {
        ActiveJobs active = new ActiveJobs(List.of(job(1, JobState.QUEUED, 0)));

        active.apply(job(1, JobState.RUNNING, 1));
        assertThat(active.count(JobState.QUEUED)).isZero();
        assertThat(active.inStates(EnumSet.of(JobState.RUNNING))).extracting(Job::version).containsExactly(1L);

        active.apply(job(1, JobState.SUCCEEDED, 2));
        assertThat(active.inStates(EnumSet.allOf(JobState.class))).isEmpty();
        assertThat(active.count(JobState.RUNNING)).isZero();
    }

    @Test
    void anOlderVersionArrivingLateNeverReplacesANewerOne() {
        ActiveJobs active = new ActiveJobs(List.of());
        active.apply(job(7, JobState.RUNNING, 2));

        active.apply(job(7, JobState.QUEUED, 1));

        assertThat(active.inStates(EnumSet.allOf(JobState.class))).extracting(Job::state)
                .containsExactly(JobState.RUNNING);
        assertThat(active.count(JobState.QUEUED)).isZero();
    }

    @Test
    void aLateNoticeOfAnEarlierStateDoesNotBringBackAJobThatEnded() {
        ActiveJobs active = new ActiveJobs(List.of(job(5, JobState.RUNNING, 3)));
        active.apply(job(5, JobState.FAILED, 4));

        active.apply(job(5, JobState.RUNNING, 3));

        assertThat(active.inStates(EnumSet.allOf(JobState.class))).isEmpty();
        assertThat(active.count(JobState.RUNNING)).isZero();
    }

    @Test
    void countsEveryChangeTakenInButNotTheIgnoredOnes() {
        ActiveJobs active = new ActiveJobs(List.of());
        long before = active.changes();

        active.apply(job(1, JobState.QUEUED, 0));
        active.apply(job(1, JobState.QUEUED, 0));

        assertThat(active.changes()).isEqualTo(before + 1);
    }

    @Test
    void theQueueIndexHoldsExactlyTheQueuedJobsInTheirLatestVersion() {
        ActiveJobs active = new ActiveJobs(List.of(job(1, JobState.QUEUED, 0), job(2, JobState.QUEUED, 0),
                job(3, JobState.BUILDING, 0)));

        active.apply(job(3, JobState.QUEUED, 1));
        active.apply(job(1, JobState.RUNNING, 1));
        active.apply(aJob().id(2).state(JobState.QUEUED).version(1).user("bob").build());
        active.apply(job(2, JobState.QUEUED, 0));

        assertThat(active.readQueue(QueuedJobs::jobs)).extracting(Job::id, Job::user)
                .containsExactly(tuple(2L, "bob"), tuple(3L, "ana"));
    }

    @Test
    void aQueuedJobThatEndsLeavesTheQueueIndex() {
        ActiveJobs active = new ActiveJobs(List.of(job(1, JobState.QUEUED, 0)));

        active.apply(job(1, JobState.CANCELLED, 1));

        assertThat(active.readQueue(QueuedJobs::size)).isZero();
    }

    @Test
    void readingSomeStatesReturnsEachMatchingJobOnceInIdOrder() {
        ActiveJobs active = new ActiveJobs(List.of(job(4, JobState.RUNNING, 0), job(2, JobState.QUEUED, 0),
                job(3, JobState.RECEIVED, 0), job(1, JobState.QUEUED, 0), job(5, JobState.QUEUED, 0)));

        assertThat(active.inStates(EnumSet.of(JobState.QUEUED, JobState.RUNNING))).extracting(Job::id)
                .containsExactly(1L, 2L, 4L, 5L);
        assertThat(active.inStates(EnumSet.of(JobState.RUNNING, JobState.RECEIVED))).extracting(Job::id)
                .containsExactly(3L, 4L);
    }

    @Test
    void waitingAheadCountsAcceptedJobsAndThoseReceivedEarlierOfTheSameUser() {
        ActiveJobs active = new ActiveJobs(List.of(
                aJob().id(1).user("ana").state(JobState.QUEUED).build(),
                aJob().id(2).user("ana").state(JobState.RUNNING).build(),
                aJob().id(3).user("ana").state(JobState.RECEIVED).build(),
                aJob().id(4).user("bob").state(JobState.QUEUED).build(),
                aJob().id(5).user("ana").state(JobState.RECEIVED).build(),
                aJob().id(6).user("ana").state(JobState.BUILDING).build(),
                aJob().id(7).user("ana").state(JobState.RECEIVED).build()));

        // job 5 is judged after 1 (queued), 3 (received earlier) and 6 (already building); not 2, 4 or 7
        assertThat(active.waitingAhead("ana", 5)).isEqualTo(3);
        assertThat(active.waitingAhead("ana", Long.MAX_VALUE)).isEqualTo(5);
    }
}
