package dev.dopq.server.it;

import com.github.dockerjava.api.DockerClient;
import dev.dopq.api.ConflictException;
import dev.dopq.api.DopqSession;
import dev.dopq.api.JobView;
import dev.dopq.api.PermissionDeniedException;
import dev.dopq.api.Uploads;
import dev.dopq.docker.DockerEngine;
import dev.dopq.server.testutil.Await;
import dev.dopq.server.testutil.EngineLeftovers;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Priorities, holds and restarts on one declared GPU, on the real engine. Images stay after their job
 * ({@code remove_images = no}) so that ended jobs can be restarted; the test removes one itself to see the refusal.
 */
class PriorityIT {
    private static final Duration WAIT = Duration.ofSeconds(180);

    @TempDir
    static Path dir;
    static TestServer server;
    static DopqSession admin;
    static DopqSession ana;
    static DopqSession bob;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, "0", "", java.util.Map.of("DOPQ_PROVIDER_REMOVE_IMAGES", "no"));
        admin = server.admin();
        ana = server.login("ana", admin.newToken("ana"));
        bob = server.login("bob", admin.newToken("bob"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
            EngineLeftovers.removeOf(server.instance());
        }
    }

    private static String submit(DopqSession as, String name, String user, String script) throws Exception {
        byte[] zip = aZip().name(name).user(user).command("sh", "-c", script).bytes();
        return Uploads.submit(as, name + ".zip", zip).id();
    }

    private static JobView view(String id) throws Exception {
        return admin.job(id).job();
    }

    private static void awaitState(String id, String state) throws Exception {
        Await.until("job " + id + " " + state, WAIT, () -> {
            JobView job = view(id);
            return job.state().equals(state) ? Optional.of(job) : Optional.empty();
        });
    }

    /** A job that runs until it is cancelled, holding the only GPU. */
    private static String blocker(String user) throws Exception {
        String id = submit(admin, "blocker-" + user, user, "sleep 300");
        awaitState(id, "RUNNING");
        return id;
    }

    @Test
    void an_admin_prioritised_later_job_starts_before_the_earlier_ones() throws Exception {
        String blocker = blocker("bob");
        String early1 = submit(admin, "early-1", "ana", "echo early-1");
        String early2 = submit(admin, "early-2", "bob", "echo early-2");
        String late = submit(admin, "late", "bob", "echo late");
        for (String id : List.of(early1, early2, late)) {
            awaitState(id, "QUEUED");
        }

        JobView prioritised = admin.setPriority(late, 50);
        assertThat(prioritised.priority()).isEqualTo(50);
        assertThat(admin.queue().get(0).id()).as("first in the queue").isEqualTo(late);
        admin.cancel(blocker);

        for (String id : List.of(early1, early2, late)) {
            awaitState(id, "SUCCEEDED");
        }
        // early-1 and early-2 follow in fair-share order, which the users' usage decides
        assertThat(view(late).startedAt()).isBefore(view(early1).startedAt());
        assertThat(view(late).startedAt()).isBefore(view(early2).startedAt());
    }

    @Test
    void a_held_job_keeps_its_place_but_does_not_start_while_the_gpu_is_free_and_runs_once_released()
            throws Exception {
        String blocker = blocker("bob");
        String held = submit(ana, "held", "ana", "echo held");
        // the same user's, so only the hold (not fair share) can let it go first
        String behind = submit(ana, "behind", "ana", "echo behind");
        awaitState(held, "QUEUED");
        awaitState(behind, "QUEUED");

        JobView holding = ana.hold(held);
        assertThat(holding.heldBy()).isEqualTo("ana");
        assertThat(admin.queue()).extracting(JobView::id).containsExactly(held, behind);
        assertThatThrownBy(() -> ana.hold(held)).isInstanceOf(ConflictException.class)
                .hasMessage("job " + held + " is already held by ana");
        assertThatThrownBy(() -> bob.hold(blocker)).isInstanceOf(ConflictException.class)
                .hasMessage("job " + blocker + " is running; only a waiting job can be held");
        admin.cancel(blocker);

        awaitState(behind, "SUCCEEDED");
        JobView stillHeld = view(held);
        assertThat(stillHeld.state()).isEqualTo("QUEUED");
        assertThat(stillHeld.startedAt()).isNull();
        assertThat(admin.job(held).waiting()).contains("held by ana");
        assertThat(admin.running()).isEmpty();

        assertThat(ana.release(held).heldBy()).isNull();
        awaitState(held, "SUCCEEDED");
        assertThatThrownBy(() -> ana.hold(held)).isInstanceOf(ConflictException.class)
                .hasMessage("job " + held + " has already ended (SUCCEEDED)");
    }

    @Test
    void an_admin_holds_every_waiting_job_of_a_user_and_the_owner_cannot_release_that_hold() throws Exception {
        String blocker = blocker("bob");
        String first = submit(ana, "user-held-1", "ana", "echo one");
        String second = submit(ana, "user-held-2", "ana", "echo two");
        awaitState(first, "QUEUED");
        awaitState(second, "QUEUED");

        assertThat(admin.holdUser("ana", true)).isEqualTo(2);
        assertThat(view(first).heldBy()).isEqualTo("admin");
        assertThat(admin.job(second).waiting()).contains("held by admin");
        assertThatThrownBy(() -> ana.release(first)).isInstanceOf(PermissionDeniedException.class)
                .hasMessage("job " + first + " is held by admin; only an admin can release it");

        assertThat(admin.holdUser("ana", false)).isEqualTo(2);
        admin.cancel(blocker);
        awaitState(first, "SUCCEEDED");
        awaitState(second, "SUCCEEDED");
    }

    @Test
    void priority_hold_and_release_of_an_array_id_act_on_every_waiting_job_of_the_array() throws Exception {
        String blocker = blocker("bob");
        byte[] zip = aZip().name("sweep").user("ana").command("sh", "-c", "echo $DOPQ_ARRAY_INDEX")
                .field("array", "\"0-2\"").bytes();
        String array = Uploads.submit(ana, "sweep.zip", zip).id();
        Await.until("the array's three jobs queued", WAIT, () -> {
            List<JobView> members = admin.queue().stream().filter(j -> array.equals(j.arrayId())).toList();
            return members.size() == 3 ? Optional.of(members) : Optional.empty();
        });

        admin.setPriority(array, 30);
        ana.hold(array);
        List<JobView> members = admin.queue().stream().filter(j -> array.equals(j.arrayId())).toList();
        assertThat(members).hasSize(3).allSatisfy(j -> {
            assertThat(j.priority()).isEqualTo(30);
            assertThat(j.heldBy()).isEqualTo("ana");
        });

        ana.release(array);
        admin.cancel(blocker);
        for (JobView member : members) {
            awaitState(member.id(), "SUCCEEDED");
        }
    }

    @Test
    void a_restarted_job_runs_again_as_a_new_job_with_the_same_output_and_a_removed_image_is_refused()
            throws Exception {
        String original = submit(ana, "again", "ana", "echo same-output-$((6 * 7))");
        awaitState(original, "SUCCEEDED");

        JobView restart = ana.restart(original);
        assertThat(restart.id()).isNotEqualTo(original);
        assertThat(restart.restartOf()).isEqualTo(original);
        awaitState(restart.id(), "SUCCEEDED");
        String firstLog = admin.logs(original, 0, 65536).text();
        assertThat(firstLog).contains("same-output-42");
        assertThat(admin.logs(restart.id(), 0, 65536).text()).isEqualTo(firstLog);
        assertThat(admin.job(restart.id()).image()).isEqualTo(admin.job(original).image());

        try (DockerClient docker = DockerEngine.connect(null)) {
            docker.removeImageCmd(admin.job(original).image()).withForce(true).exec();
        }
        assertThatThrownBy(() -> ana.restart(original)).isInstanceOf(ConflictException.class)
                .hasMessage("job " + original + " cannot be restarted: image removed after the job ended;"
                        + " resubmit the zip");
    }

    @Test
    void a_rejected_job_cannot_be_restarted() throws Exception {
        byte[] bad = aZip().name("typo").user("ana").field("num_gpu", "1").bytes();
        String rejected = Uploads.submit(ana, "typo.zip", bad).id();
        awaitState(rejected, "REJECTED");

        assertThatThrownBy(() -> ana.restart(rejected)).isInstanceOf(ConflictException.class)
                .hasMessageStartingWith("job " + rejected + " was rejected (unknown key \"num_gpu\"");
    }

    @Test
    void only_owners_and_admins_hold_release_and_restart_and_only_admins_set_priorities() throws Exception {
        String blocker = blocker("bob");
        String anas = submit(ana, "anas", "ana", "echo mine");
        awaitState(anas, "QUEUED");

        assertThatThrownBy(() -> bob.hold(anas)).isInstanceOf(PermissionDeniedException.class)
                .hasMessage("job " + anas + " belongs to ana; only ana or an admin can hold it");
        ana.hold(anas);
        assertThatThrownBy(() -> bob.release(anas)).isInstanceOf(PermissionDeniedException.class)
                .hasMessage("job " + anas + " belongs to ana; only ana or an admin can release it");
        assertThatThrownBy(() -> ana.setPriority(anas, 10)).isInstanceOf(PermissionDeniedException.class)
                .hasMessage("only an admin can set priorities; you are ana");
        assertThatThrownBy(() -> ana.holdUser("bob", true)).isInstanceOf(PermissionDeniedException.class);
        assertThatThrownBy(() -> ana.restart(anas)).isInstanceOf(ConflictException.class)
                .hasMessage("job " + anas + " has not ended (QUEUED); only an ended job can be restarted");
        assertThat(view(anas).priority()).isZero();
        assertThat(view(anas).heldBy()).isEqualTo("ana");

        admin.release(anas);
        admin.cancel(blocker);
        awaitState(anas, "SUCCEEDED");
        assertThatThrownBy(() -> bob.restart(anas)).isInstanceOf(PermissionDeniedException.class)
                .hasMessage("job " + anas + " belongs to ana; only ana or an admin can restart it");
    }
}
