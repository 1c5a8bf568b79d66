package dev.dopq.server.store;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class H2JobStoreTest extends JobStoreContract {
    @TempDir
    Path dir;
    private Database database;

    @Override
    protected JobStore newStore(Clock clock) {
        database = Database.open(dir.resolve("db/dopq"), clock);
        return database.jobs();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    @Test
    void jobs_and_their_events_survive_closing_and_reopening_the_database() {
        Job job = store.insert(aJob().state(JobState.QUEUED).build(), "t");
        Job running = store.update(job.toBuilder().state(JobState.RUNNING).build(), "t");
        database.close();

        database = Database.open(dir.resolve("db/dopq"), clock);

        assertThat(database.jobs().find(job.id())).contains(running);
        assertThat(database.jobs().events(job.id())).hasSize(2);
        assertThat(database.jobs().finishedCounts()).isEmpty();
        assertThat(database.jobs().insert(aJob().build(), "t").id()).isGreaterThan(job.id());
    }

    @Test
    void history_pages_are_served_by_the_history_indexes() {
        H2JobStore h2 = (H2JobStore) store;

        assertThat(h2.explainHistory(null)).containsIgnoringCase("JOBS_HISTORY").contains("index sorted");
        assertThat(h2.explainHistory("ana")).containsIgnoringCase("JOBS_USER_HISTORY").contains("index sorted");
    }

    @Test
    void the_penalty_replay_reads_the_history_oldest_first_from_an_index_without_sorting() {
        assertThat(((H2JobStore) store).explainReplay()).containsIgnoringCase("JOBS_REPLAY")
                .contains("index sorted");
    }

    @Test
    void the_stores_refuse_work_after_close() {
        database.close();
        assertThatThrownBy(() -> store.inStates(EnumSet.allOf(JobState.class))).isInstanceOf(RuntimeException.class);
    }
}
