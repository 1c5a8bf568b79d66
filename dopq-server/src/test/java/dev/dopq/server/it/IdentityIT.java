package dev.dopq.server.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.dockerjava.api.DockerClient;
import dev.dopq.api.DopqSession;
import dev.dopq.api.JobDetail;
import dev.dopq.api.JobView;
import dev.dopq.api.UserStats;
import dev.dopq.docker.DockerEngine;
import dev.dopq.server.finish.ShareWriter;
import dev.dopq.server.testutil.EngineLeftovers;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The share's two attacks on a real engine with {@code [docker] output} set, and the shipped default
 * {@code identity = folder}: a zip claiming someone else's name, and a link planted where results are written.
 * Beside each attack a normal job runs, writes its output and its owner reads its results.
 */
class IdentityIT {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    static TestServer server;
    static DopqSession admin;
    static DockerClient docker;
    static Path output;

    @BeforeAll
    static void start() throws Exception {
        output = Files.createDirectories(dir.resolve("output"));
        server = TestServer.start(dir, "0", "[docker]\noutput = " + output + "\n");
        admin = server.admin();
        admin.addUser("mallory", false);
        docker = DockerEngine.connect(null);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
            EngineLeftovers.removeOf(server.instance());
        }
        if (docker != null) {
            docker.close();
        }
    }

    @Test
    void every_user_has_an_inbox_folder_including_one_added_while_the_server_runs() {
        assertThat(server.inbox().resolve("ana")).isDirectory();
        assertThat(server.inbox().resolve("bob")).isDirectory();
        assertThat(server.inbox().resolve("mallory")).as("made by user add").isDirectory();
    }

    @Test
    void a_zip_in_mallorys_folder_claiming_bob_is_rejected_naming_both_and_never_touches_bob() throws Exception {
        aZip().name("impostor").user("bob").gpus(0).command("sh", "-c", "echo pwned > /output/pwned")
                .writeInto(server.inbox().resolve("mallory"), "impostor.zip");
        ShareZips.withConfig("{\"name\": \"honest\", \"num_gpus\": 0, \"run_params\": {\"command\":"
                + " [\"sh\", \"-c\", \"echo written by ana > /output/result.txt; echo honest job ran\"]}}")
                .dropInto(server.inbox(), "ana", "honest.zip");

        JobView impostor = TestServer.awaitHistory(admin, j -> j.name().equals("impostor"), WAIT).orElseThrow();
        JobView honest = TestServer.awaitHistory(admin, j -> j.name().equals("honest"), WAIT).orElseThrow();

        assertThat(impostor.state()).isEqualTo("REJECTED");
        assertThat(impostor.reason()).contains("mallory").contains("\"bob\"");
        assertThat(impostor.user()).as("history shows who dropped it").isEqualTo("mallory");
        JobDetail detail = admin.job(impostor.id());
        assertThat(detail.job().startedAt()).as("it never ran").isNull();
        assertThat(output.resolve("bob/pwned")).as("bob's output was never mounted into it").doesNotExist();
        assertThat(docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("dopq.instance", server.instance(), "dopq.user", "bob")).exec())
                .as("no container ever ran as bob").isEmpty();
        UserStats bob = admin.users().stream().filter(u -> u.user().equals("bob")).findFirst()
                .orElse(new UserStats("bob", 0, 0, 0, 0));
        assertThat(bob.penalty()).as("bob's fair share is untouched").isZero();
        assertThat(bob.finished()).isZero();
        assertThat(server.inbox().resolve("mallory/failed/impostor.reason.txt")).content()
                .startsWith(impostor.reason());

        assertThat(honest.state()).as("reason: %s", honest.reason()).isEqualTo("SUCCEEDED");
        assertThat(honest.user()).as("executor_name left out: the folder's user").isEqualTo("ana");
        assertThat(output.resolve("ana/result.txt")).hasContent("written by ana\n");
        assertOwnerReadsResult(server.inbox().resolve("ana/results/" + honest.id() + "-honest"), "honest job ran");
    }

    @Test
    void a_link_planted_at_bobs_results_folder_makes_the_server_write_nothing_outside_and_log_the_refusal()
            throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(server.inbox().resolve("bob/results"), outside);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(ShareWriter.class)).addAppender(log);
        try {
            aZip().name("linked").user("bob").gpus(0).command("sh", "-c", "echo bob ran").dropInto(server.inbox(),
                    "linked.zip");
            aZip().name("plain").user("ana").gpus(0).command("sh", "-c", "echo ana ran").dropInto(server.inbox(),
                    "plain.zip");

            JobView linked = TestServer.awaitHistory(admin, j -> j.name().equals("linked"), WAIT).orElseThrow();
            JobView plain = TestServer.awaitHistory(admin, j -> j.name().equals("plain"), WAIT).orElseThrow();
            Path plainResult = server.inbox().resolve("ana/results/" + plain.id() + "-plain");
            SubmissionIT.await(() -> Files.exists(plainResult.resolve("output.log"))
                    && log.list.stream().anyMatch(e -> e.getFormattedMessage().contains("job " + linked.id())));

            assertThat(linked.state()).as("the job itself ran").isEqualTo("SUCCEEDED");
            try (Stream<Path> written = Files.walk(outside)) {
                assertThat(written).as("nothing written outside the share").containsExactly(outside);
            }
            assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("refused to write the result of job " + linked.id()).contains("link"));
            assertThat(Files.isSymbolicLink(server.inbox().resolve("bob/results"))).as("left as planted").isTrue();
            assertOwnerReadsResult(plainResult, "ana ran");
        } finally {
            ((Logger) LoggerFactory.getLogger(ShareWriter.class)).detachAppender(log);
        }
    }

    /** The result folder and files are the owner's alone (0700/0600) and hold the job's status and output. */
    private static void assertOwnerReadsResult(Path result, String outputText) throws Exception {
        SubmissionIT.await(() -> Files.exists(result.resolve("output.log")));
        assertThat(result.resolve("status.json")).content().contains("\"SUCCEEDED\"");
        assertThat(result.resolve("output.log")).content().contains(outputText);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(result))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(result.resolve("output.log"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.state())))
                .as("state/ is the server's alone").isEqualTo("rwx------");
    }
}
