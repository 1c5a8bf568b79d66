package dev.dopq.bench.drills;

import dev.dopq.bench.harness.Engine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/**
 * The crash drill, small enough for every build: 12 jobs (4 built from a Dockerfile, exits 0/1/2) dropped in
 * batches around 3 {@code kill -9} of the server process. {@code drills/crash.sh} runs the long version.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrashDrillIT {
    private CrashDrill.Result result;

    @BeforeAll
    void runTheDrillOnce() throws Exception {
        result = new CrashDrill(DrillSetup.serverJar(), DrillSetup.freshDir("crash"), 12, 3).run();
    }

    @Test
    void a_server_killed_three_times_loses_no_job_runs_none_twice_and_leaves_no_container() {
        assertSoftly(s -> {
            s.assertThat(result.lost()).as("jobs lost").isZero();
            s.assertThat(result.twice()).as("jobs run twice").isZero();
            s.assertThat(result.orphans()).as("containers orphaned").isZero();
            s.assertThat(result.wrongExit()).as("jobs with a wrong exit code or state").isZero();
            s.assertThat(result.finished()).as("jobs finished").isEqualTo(12);
        });
        assertThat(result.passed()).isTrue();
    }

    @Test
    void afterwards_the_engine_holds_nothing_the_drill_or_its_server_made() throws Exception {
        assertThat(result.instance()).as("the server's instance id (the label on what it made)").isNotBlank();
        assertThat(Engine.images(Engine.LABEL, result.run())).as("images labelled with the run").isEmpty();
        assertThat(Engine.containers(ServerLeftovers.INSTANCE_LABEL, result.instance(), true))
                .as("containers of the drill's server").isEmpty();
        assertThat(Engine.images(ServerLeftovers.INSTANCE_LABEL, result.instance()))
                .as("images of the drill's server").isEmpty();
    }

    @Test
    void a_drill_whose_server_cannot_start_fails_and_still_removes_its_image() throws Exception {
        Path dir = DrillSetup.freshDir("crash-no-server");
        Path notAServer = Files.createDirectories(dir).resolve("not-a-server.jar");
        Files.writeString(notAServer, "not a jar");
        CrashDrill drill = new CrashDrill(notAServer, dir, 3, 1);

        assertThatThrownBy(drill::run).hasMessageContaining("server exited");
        assertThat(Engine.images(Engine.LABEL, drill.runLabel())).as("images labelled with the run").isEmpty();
    }
}
