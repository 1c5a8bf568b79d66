package dev.dopq.server.it;

import java.util.Optional;
import dev.dopq.server.testutil.Await;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Image;
import dev.dopq.api.DopqSession;
import dev.dopq.api.HistoryQuery;
import dev.dopq.api.JobView;
import dev.dopq.docker.DockerEngine;
import dev.dopq.server.testutil.EngineLeftovers;
import dev.dopq.server.testutil.JobZips;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What a user who drops a zip on the share can rely on, against a real server and the real engine. */
class SubmissionIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static TestServer server;
    static DopqSession admin;
    static DockerClient docker;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(dir, "0", "");
        admin = server.admin();
        docker = DockerEngine.connect(null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
            // containers kept (remove_containers = no) pinned their images; remove all this server made
            EngineLeftovers.removeOf(server.instance());
        }
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    void a_zip_copied_in_two_halves_with_a_pause_longer_than_settle_runs_once_and_succeeds() throws Exception {
        byte[] zip = aZip().name("slow").user("ana").bytes();
        Path file = server.inbox().resolve("ana/slow.zip");
        Files.write(file, Arrays.copyOfRange(zip, 0, zip.length / 2));

        // the scanner saw the half zip stable for several settle times and reports it, instead of taking it
        String intake = Await.until("the half zip reported as not readable", WAIT,
                () -> Optional.ofNullable(admin.status().intake()).filter(s -> s.contains("slow.zip")));
        assertThat(intake).contains("not a readable zip");
        assertThat(file).as("half a zip stays in the inbox").exists();
        assertThat(jobsNamed("slow")).isEmpty();
        assertThat(server.inbox().resolve("ana/failed/slow.reason.txt")).doesNotExist();
        Files.write(file, Arrays.copyOfRange(zip, zip.length / 2, zip.length), StandardOpenOption.APPEND);

        JobView job = TestServer.awaitHistory(admin, j -> j.name().equals("slow"), WAIT).orElseThrow();
        assertThat(job.state()).isEqualTo("SUCCEEDED");
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(jobsNamed("slow")).hasSize(1);
        assertThat(file).doesNotExist();
    }

    @Test
    void a_file_that_is_not_a_zip_in_a_user_folder_goes_to_that_users_failed_folder_once_it_has_settled()
            throws Exception {
        Path notZip = Files.writeString(server.inbox().resolve("ana/notes.zip"), "these are my notes, not a zip\n");
        Path reason = server.inbox().resolve("ana/failed/notes.reason.txt");

        // settle is 1 s: a file that stays unreadable for 12 settle times is refused
        await(() -> Files.exists(reason));

        assertThat(Files.readString(reason).strip()).isEqualTo("not a zip file (no central directory after 12 s)");
        assertThat(server.inbox().resolve("ana/failed/notes.zip")).exists();
        assertThat(server.inbox().resolve("failed/notes.zip")).doesNotExist();
        assertThat(notZip).doesNotExist();
        assertThat(jobsNamed("notes")).isEmpty();
        await(() -> admin.status().intake() == null);
    }

    @Test
    void a_zip_in_dopq_format_runs_unchanged() throws Exception {
        ShareZips.withConfig(ShareZips.dopqConfig("dopq_format", "ana", 1, "sh -c 'echo dopq says hi'"))
                .dropInto(server.inbox(), "ana", "dopq_format.zip");

        JobView job = TestServer.awaitHistory(admin, j -> j.name().equals("dopq_format"), WAIT).orElseThrow();

        assertThat(job.state()).as("reason: %s", job.reason()).isEqualTo("SUCCEEDED");
        assertThat(job.user()).isEqualTo("ana");
        assertThat(job.gpus()).containsExactly("0");
        assertThat(admin.logs(job.id(), 0, 65536).text()).contains("dopq says hi");
    }

    @Test
    void a_zip_made_on_windows_without_unix_modes_runs_its_shell_script() throws Exception {
        ShareZips zip = ShareZips.withConfig(ShareZips.dopqConfig("from-windows", "ana", 0, "/run.sh"))
                .file("Dockerfile", ShareZips.BUSYBOX_DOCKERFILE + "COPY run.sh /run.sh\n")
                .file("run.sh", "#!/bin/sh\necho the script from windows ran\n")
                .madeOnWindows();
        zip.dropInto(server.inbox(), "ana", "from-windows.zip");

        JobView job = TestServer.awaitHistory(admin, j -> j.name().equals("from-windows"), WAIT).orElseThrow();

        assertThat(job.state()).as("reason: %s", job.reason()).isEqualTo("SUCCEEDED");
        assertThat(admin.logs(job.id(), 0, 65536).text()).contains("the script from windows ran");
    }

    static Stream<Arguments> refusedZips() {
        String run = "\"run_params\": {\"command\": \"true\"}";
        return Stream.of(
                Arguments.of("unknown-user", ShareZips.withConfig(ShareZips.dopqConfig("unknown-user", "mallory", 0,
                        "true")), "REJECTED", "unknown user \"mallory\""),
                Arguments.of("gpu-typo", ShareZips.withConfig("{\"name\": \"gpu-typo\", \"executor_name\": \"ana\","
                        + " \"num_gpu\": 0, " + run + "}"), "REJECTED",
                        "unknown key \"num_gpu\" (did you mean \"num_gpus\"?)"),
                Arguments.of("too-many-gpus", ShareZips.withConfig(ShareZips.dopqConfig("too-many-gpus", "ana", 2,
                        "true")), "REJECTED", "asks for 2 GPUs; this machine has 1"),
                Arguments.of("privileged", ShareZips.withConfig("{\"name\": \"privileged\", \"executor_name\": \"ana\","
                        + " \"num_gpus\": 0, \"run_params\": {\"command\": \"true\", \"privileged\": true}}"),
                        "REJECTED", "run_params key \"privileged\" is not allowed"),
                Arguments.of("no-dockerfile", ShareZips.withConfig(ShareZips.dopqConfig("no-dockerfile", "ana", 0,
                        "true")).without("Dockerfile"), "REJECTED", "no Dockerfile"),
                Arguments.of("build-fails", ShareZips.withConfig(ShareZips.dopqConfig("build-fails", "ana", 0, "true"))
                        .file("Dockerfile", ShareZips.BUSYBOX_DOCKERFILE + "RUN echo about to fail; exit 3\n"),
                        "FAILED", "build failed: The command '/bin/sh -c echo about to fail; exit 3' returned a"
                                + " non-zero code: 3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedZips")
    void a_refused_zip_shows_the_same_reason_in_the_client_and_next_to_the_zip_in_failed(
            String name, ShareZips zip, String state, String reasonPart) throws Exception {
        zip.dropInto(server.inbox(), "ana", name + ".zip");

        JobView job = TestServer.awaitHistory(admin, j -> j.name().equals(name), WAIT).orElseThrow();

        assertThat(job.state()).isEqualTo(state);
        assertThat(job.reason()).contains(reasonPart);
        assertThat(job.user()).as("the folder proves who dropped it").isEqualTo("ana");
        assertQuarantinedWithReason(server.inbox().resolve("ana"), name, job.reason());
        assertThat(server.inbox().resolve("ana/" + name + ".zip")).doesNotExist();
    }

    @Test
    void a_finished_job_leaves_status_json_and_its_output_on_the_share() throws Exception {
        aZip().name("with-result").user("bob").gpus(0).command("sh", "-c", "echo the answer is 42")
                .dropInto(server.inbox(), "with-result.zip");

        JobView job = TestServer.awaitHistory(admin, j -> j.name().equals("with-result"), WAIT).orElseThrow();

        Path result = server.inbox().resolve("bob/results/" + job.id() + "-with-result");
        await(() -> Files.exists(result.resolve("status.json")) && Files.exists(result.resolve("output.log")));
        JsonNode status = JSON.readTree(result.resolve("status.json").toFile());
        assertThat(status.get("id").asText()).isEqualTo(job.id());
        assertThat(status.get("name").asText()).isEqualTo("with-result");
        assertThat(status.get("user").asText()).isEqualTo("bob");
        assertThat(status.get("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(status.get("exitCode").asInt()).isZero();
        assertThat(Instant.parse(status.get("finishedAt").asText())).isEqualTo(job.finishedAt());
        assertThat(Files.readString(result.resolve("output.log"))).contains("the answer is 42");
    }

    @Test
    void two_jobs_with_the_same_name_get_their_own_images_which_are_removed_when_they_end() throws Exception {
        admin.lock(); // keeps both jobs QUEUED with their images built
        List<JobView> twins;
        try {
            aZip().name("twin").user("ana").gpus(0).dropInto(server.inbox(), "twin-a.zip");
            aZip().name("twin").user("bob").gpus(0).dropInto(server.inbox(), "twin-b.zip");
            await(() -> queuedNamed("twin").size() == 2);
            twins = queuedNamed("twin");
            Image a = imageOf(twins.get(0));
            Image b = imageOf(twins.get(1));
            assertThat(a.getId()).isNotEqualTo(b.getId());
            assertThat(a.getRepoTags()).singleElement().asString().startsWith("dopq/twin:");
            assertThat(b.getRepoTags()).singleElement().asString().startsWith("dopq/twin:");
            assertThat(a.getRepoTags()).doesNotContainAnyElementsOf(Arrays.asList(b.getRepoTags()));
        } finally {
            admin.unlock();
        }

        for (JobView twin : twins) {
            JobView done = TestServer.awaitHistory(admin, j -> j.id().equals(twin.id()), WAIT).orElseThrow();
            assertThat(done.state()).isEqualTo("SUCCEEDED");
            await(() -> imagesOf(twin).isEmpty());
        }
    }

    @Test
    void while_the_disk_is_short_zips_wait_in_the_inbox_with_a_reason_and_are_taken_once_space_is_back(
            @TempDir Path own) throws Exception {
        Path zip;
        try (ShareServer shortOfDisk = ShareServer.start(own, "min_free = 100000t\n")) {
            DopqSession a = shortOfDisk.admin();
            zip = aZip().name("patient").user("ana").gpus(0).dropInto(shortOfDisk.inbox(), "patient.zip");

            await(() -> a.status().intake() != null);

            assertThat(a.status().intake()).contains("min_free").contains("1 zip(s) wait in the inbox");
            assertThat(zip).exists();
            assertThat(a.queue()).isEmpty();
            assertThat(a.history(HistoryQuery.latest(10))).isEmpty();
        }
        try (ShareServer restarted = ShareServer.start(own, "")) {
            DopqSession a = restarted.admin();

            JobView job = TestServer.awaitHistory(a, j -> j.name().equals("patient"), WAIT).orElseThrow();

            assertThat(job.state()).isEqualTo("SUCCEEDED");
            assertThat(zip).doesNotExist();
            assertThat(a.status().intake()).isNull();
        }
    }

    @Test
    void with_identity_owner_a_zip_runs_only_when_its_file_belongs_to_its_executor_and_never_when_root_owns_it(
            @TempDir Path own) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "giving files to another uid needs root");
        try (ShareServer verifying = ShareServer.start(own, "identity = owner\n")) {
            DopqSession a = verifying.admin();
            a.addUser("nobody", false); // a host account: its uid maps to the user of that name
            dropOwnedBy("nobody", aZip().name("not-mine").user("ana").gpus(0), verifying.inbox(), "not-mine.zip");
            dropOwnedBy("nobody", aZip().name("mine").user("nobody").gpus(0), verifying.inbox(), "mine.zip");
            aZip().name("roots").user("ana").gpus(0).writeInto(verifying.inbox(), "roots.zip");

            JobView notMine = TestServer.awaitHistory(a, j -> j.name().equals("not-mine"), WAIT).orElseThrow();
            JobView mine = TestServer.awaitHistory(a, j -> j.name().equals("mine"), WAIT).orElseThrow();
            JobView roots = TestServer.awaitHistory(a, j -> j.name().equals("roots"), WAIT).orElseThrow();

            assertThat(notMine.state()).isEqualTo("REJECTED");
            assertThat(notMine.reason()).contains("belongs to \"nobody\"").contains("names \"ana\"");
            assertThat(notMine.user()).isEqualTo("nobody");
            assertThat(roots.state()).isEqualTo("REJECTED");
            assertThat(roots.reason()).startsWith("the zip file is owned by root");
            assertQuarantinedWithReason(verifying.inbox(), "roots", roots.reason());
            assertThat(mine.state()).as("reason: %s", mine.reason()).isEqualTo("SUCCEEDED");
        }
    }

    /** Writes a zip owned by a host account: under a temporary name first, so it is never seen as root's. */
    private static void dropOwnedBy(String account, JobZips zip, Path inbox, String fileName) throws Exception {
        Path part = Files.write(inbox.resolve(fileName + ".part"), zip.bytes());
        Files.setOwner(part, part.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(account));
        Files.move(part, inbox.resolve(fileName), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** {@code folder} is where the zip was dropped (a user's folder, or the inbox for zips of no proven user). */
    static void assertQuarantinedWithReason(Path folder, String zipName, String reason) throws Exception {
        Path failed = folder.resolve("failed");
        // the finish stage gives the zip back right after the job ends, on its own thread
        await(() -> Files.exists(failed.resolve(zipName + ".zip")));
        assertThat(failed.resolve(zipName + ".zip")).exists();
        assertThat(Files.readString(failed.resolve(zipName + ".reason.txt")).strip()).isEqualTo(reason);
    }

    /** Polls until {@code condition} holds or the deadline passes (then fails). */
    static void await(Callable<Boolean> condition) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.call()) {
            assertThat(Instant.now()).as("waited too long").isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private static List<JobView> jobsNamed(String name) throws Exception {
        return Stream.of(admin.history(HistoryQuery.latest(1000)), admin.queue(), admin.running())
                .flatMap(List::stream).filter(j -> j.name().equals(name)).toList();
    }

    private static List<JobView> queuedNamed(String name) throws Exception {
        return admin.queue().stream().filter(j -> j.name().equals(name)).toList();
    }

    private static List<Image> imagesOf(JobView job) {
        return docker.listImagesCmd()
                .withLabelFilter(Map.of("dopq.instance", server.instance(), "dopq.job", job.id())).exec();
    }

    private static Image imageOf(JobView job) {
        List<Image> images = imagesOf(job);
        assertThat(images).as("images of job %s", job.id()).hasSize(1);
        return images.get(0);
    }
}
