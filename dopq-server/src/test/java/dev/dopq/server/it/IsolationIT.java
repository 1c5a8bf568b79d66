package dev.dopq.server.it;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import dev.dopq.api.DopqSession;
import dev.dopq.api.JobDetail;
import dev.dopq.api.JobView;
import dev.dopq.docker.DockerEngine;
import dev.dopq.docker.ImageBuilder;
import dev.dopq.server.testutil.EngineLeftovers;
import dev.dopq.server.testutil.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container and image attacks of issue 11 against a server with the shipped defaults plus {@code [docker]
 * output}, on the real engine: they fail, and a normal job still writes its output as its own non-root uid.
 */
class IsolationIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFCHR = 0020000;
    private static final int S_ISUID = 04000;
    private static final String RUN = "dopq-isolation-" + UUID.randomUUID().toString().substring(0, 8);
    /** An image the admin allows by pattern. */
    private static final String ALLOWED = RUN + "-allowed:v1";
    /** An image that exists on the engine but that no pattern allows. */
    private static final String VICTIM = RUN + "-victim:v1";

    @TempDir
    static Path dir;
    static TestServer server;
    static DockerClient docker;
    static DopqSession admin;
    static final List<String> images = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        docker = DockerEngine.connect(null);
        buildImage(ALLOWED, "RUN echo allowed > /which");
        buildImage(VICTIM, "RUN echo victim > /which");
        server = TestServer.start(dir, "0", "[docker]\noutput = output\nallowed_images = " + RUN + "-allowed:*\n\n"
                + "[queue]\nremove_containers = no\n");
        admin = server.admin();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
            EngineLeftovers.removeOf(server.instance());
        }
        if (docker != null) {
            for (String image : images) {
                try {
                    docker.removeImageCmd(image).withForce(true).exec();
                } catch (DockerException e) {
                    // gone already
                }
            }
            docker.close();
        }
    }

    @Test
    void a_job_can_neither_make_a_setuid_root_file_nor_a_device_and_a_normal_job_owns_its_output() throws Exception {
        aZip().name("attack2").user("ana").gpus(0).command("sh", "-c", "echo x > /output/f; chmod 4755 /output/f;"
                + " mknod /output/dev b 8 0; chown 0:0 /output/f; id > /output/id.txt; true")
                .writeInto(server.inbox().resolve("ana"), "attack2.zip");
        aZip().name("normal").user("ana").gpus(0).command("sh", "-c", "echo the result > /output/result.txt")
                .writeInto(server.inbox().resolve("ana"), "normal.zip");

        JobView attack = TestServer.awaitHistory(admin, j -> j.name().equals("attack2"), WAIT).orElseThrow();
        JobView normal = TestServer.awaitHistory(admin, j -> j.name().equals("normal"), WAIT).orElseThrow();

        assertThat(normal.state()).as("normal job: %s", normal.reason()).isEqualTo("SUCCEEDED");
        Path out = dir.resolve("output").resolve("ana");
        Path result = out.resolve("result.txt");
        assertThat(Files.readString(result)).isEqualTo("the result\n");
        int uid = intAttribute(result, "unix:uid");
        assertThat(uid).as("owner of result.txt on the host").isGreaterThanOrEqualTo(200_000);
        assertThat(intAttribute(out, "unix:uid")).as("owner of the output folder").isEqualTo(uid);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out, LinkOption.NOFOLLOW_LINKS)))
                .isEqualTo("rwx------");
        assertThat(attack.state()).as("attack job: %s", attack.reason()).isEqualTo("SUCCEEDED");
        assertThat(Files.readString(out.resolve("id.txt"))).startsWith("uid=" + uid + " gid=" + uid);
        assertThat(out.resolve("dev")).as("the block device").doesNotExist();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.toList()) {
                int mode = intAttribute(f, "unix:mode");
                assertThat(mode & S_IFMT).as("type of %s", f).isNotIn(S_IFBLK, S_IFCHR);
                assertThat(intAttribute(f, "unix:uid")).as("owner of %s", f).isNotZero();
                assertThat(intAttribute(f, "unix:uid") == 0 && (mode & S_ISUID) != 0)
                        .as("%s is setuid root", f).isFalse();
            }
        }
        InspectContainerResponse c = containerOf(attack);
        assertThat(c.getConfig().getUser()).isEqualTo(uid + ":" + uid);
        assertThat(c.getHostConfig().getCapDrop()).containsExactly(Capability.ALL);
        assertThat(c.getHostConfig().getPidsLimit()).isEqualTo(4096L);
        JobDetail detail = admin.job(attack.id());
        assertThat(detail.runAs()).isEqualTo(uid + ":" + uid);
    }

    @Test
    void a_job_asking_for_root_is_refused_with_the_reason() throws Exception {
        String config = "{\"name\": \"asroot\", \"executor_name\": \"bob\", \"num_gpus\": 0,"
                + " \"run_params\": {\"user\": \"root\", \"command\": [\"id\"]}}";
        ShareZips.withConfig(config).writeInto(server.inbox().resolve("bob"), "asroot.zip");

        JobView job = TestServer.awaitHistory(admin, j -> j.name().equals("asroot"), WAIT).orElseThrow();

        assertThat(job.state()).isEqualTo("REJECTED");
        assertThat(job.reason()).contains("run_params user \"root\" is not allowed: jobs never run as root");
    }

    @Test
    void an_image_the_admin_did_not_allow_is_refused_and_an_allowed_one_runs() throws Exception {
        ShareZips.empty().file("container_config.json", imageConfig("other", VICTIM))
                .writeInto(server.inbox().resolve("bob"), "other.zip");
        ShareZips.empty().file("container_config.json", imageConfig("allowed", ALLOWED))
                .writeInto(server.inbox().resolve("bob"), "allowed.zip");

        JobView other = TestServer.awaitHistory(admin, j -> j.name().equals("other"), WAIT).orElseThrow();
        JobView allowed = TestServer.awaitHistory(admin, j -> j.name().equals("allowed"), WAIT).orElseThrow();

        assertThat(other.state()).isEqualTo("REJECTED");
        assertThat(other.reason()).contains("image \"" + VICTIM + "\" is not allowed on this server");
        assertThat(allowed.state()).as("allowed: %s", allowed.reason()).isEqualTo("SUCCEEDED");
        assertThat(admin.logs(allowed.id(), 0, 4096).text()).isEqualTo("allowed\n");
    }

    @Test
    void an_image_tar_tagged_as_an_existing_image_leaves_that_tag_where_it_was() throws Exception {
        String attackerTag = RUN + "-attacker:v1";
        String attackerId = buildImage(attackerTag, "RUN echo attacker > /which");
        docker.tagImageCmd(attackerTag, RUN + "-victim", "v1").withForce(true).exec();
        byte[] tar;
        try (InputStream saved = docker.saveImageCmd(VICTIM).exec()) {
            tar = saved.readAllBytes(); // names VICTIM, holds the attacker's layers
        }
        String victimId = buildImage(VICTIM, "RUN echo victim > /which");
        assertThat(victimId).isNotEqualTo(attackerId);
        String config = "{\"name\": \"attack5\", \"executor_name\": \"bob\", \"num_gpus\": 0, \"build_flag\": false,"
                + " \"image_file\": \"image.tar\", \"command\": [\"cat\", \"/which\"]}";
        ShareZips.empty().file("container_config.json", config).file("image.tar", tar)
                .writeInto(server.inbox().resolve("bob"), "attack5.zip");

        JobView job = TestServer.awaitHistory(admin, j -> j.name().equals("attack5"), WAIT).orElseThrow();

        assertThat(docker.inspectImageCmd(VICTIM).exec().getId()).as("what " + VICTIM + " points to")
                .isEqualTo(victimId);
        assertThat(job.state()).as("attack5: %s", job.reason()).isEqualTo("SUCCEEDED");
        assertThat(admin.logs(job.id(), 0, 4096).text()).as("the job ran its own image").isEqualTo("attacker\n");
        assertThat(admin.job(job.id()).image()).startsWith("dopq/attack5:");
    }

    @Test
    void another_user_sees_neither_the_image_nor_the_build_log_of_a_job() throws Exception {
        aZip().name("private").user("ana").gpus(0).command("true").writeInto(server.inbox().resolve("ana"),
                "private.zip");
        JobView job = TestServer.awaitHistory(admin, j -> j.name().equals("private"), WAIT).orElseThrow();
        DopqSession bob = server.login("bob", admin.newToken("bob"));

        JobDetail seenByBob = bob.job(job.id());
        JobDetail seenByAdmin = admin.job(job.id());

        assertThat(seenByAdmin.image()).startsWith("dopq/private:");
        assertThat(seenByAdmin.buildLogTail()).isNotBlank();
        assertThat(seenByBob.image()).isNull();
        assertThat(seenByBob.buildLogTail()).isNull();
        assertThat(seenByBob.runAs()).isNull();
    }

    private static String imageConfig(String name, String image) {
        return "{\"name\": \"" + name + "\", \"executor_name\": \"bob\", \"num_gpus\": 0, \"build_flag\": false,"
                + " \"image\": \"" + image + "\", \"command\": [\"cat\", \"/which\"]}";
    }

    private static String buildImage(String tag, String line) throws IOException {
        Path context = Files.createDirectories(dir.resolve("ctx-" + UUID.randomUUID()));
        Files.copy(Path.of("/usr/bin/busybox"), context.resolve("busybox"));
        Files.writeString(context.resolve("Dockerfile"), ShareZips.BUSYBOX_DOCKERFILE + line + "\n");
        images.add(tag);
        String id = new ImageBuilder(docker).build(context, tag, Map.of("dopq.test", RUN), dir.resolve("b.log"));
        return docker.inspectImageCmd(id).exec().getId();
    }

    private static int intAttribute(Path p, String name) throws IOException {
        return (Integer) Files.getAttribute(p, name, LinkOption.NOFOLLOW_LINKS);
    }

    private static InspectContainerResponse containerOf(JobView job) {
        List<Container> found = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("dopq.instance", server.instance(), "dopq.job", job.id())).exec();
        assertThat(found).as("containers of job %s", job.id()).hasSize(1);
        return docker.inspectContainerCmd(found.get(0).getId()).exec();
    }
}
