package dev.dopq.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.dopq.api.ApiLimits;
import dev.dopq.api.ExitCodes;

import static org.assertj.core.api.Assertions.assertThat;

class SubmitCommandTest {
    @TempDir
    Path tmp;

    private Path folder;
    private final FakeSession session = new FakeSession();

    @BeforeEach
    void aBuildContext() throws IOException {
        folder = Files.createDirectories(tmp.resolve("my job"));
        Files.writeString(folder.resolve("Dockerfile"), "FROM scratch\nCOPY run.sh /run.sh\n");
        Files.writeString(folder.resolve("run.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(folder.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createDirectories(folder.resolve("data/sub"));
        Files.writeString(folder.resolve("data/sub/x.csv"), "a,b\n");
        Files.createDirectories(folder.resolve(".git/objects"));
        Files.writeString(folder.resolve(".git/config"), "[core]\n");
        Files.writeString(folder.resolve(".gitignore"), "*.pyc\n");
    }

    private Map<String, ZipArchiveEntry> entries(byte[] zip) throws IOException {
        Map<String, ZipArchiveEntry> entries = new LinkedHashMap<>();
        try (ZipFile file = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(zip)).get()) {
            file.getEntries().asIterator().forEachRemaining(e -> entries.put(e.getName(), e));
        }
        return entries;
    }

    private String content(byte[] zip, String name) throws IOException {
        try (ZipFile file = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(zip)).get()) {
            return new String(file.getInputStream(file.getEntry(name)).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void a_folder_is_zipped_without_git_and_with_its_permissions_and_the_job_id_is_printed() throws IOException {
        CliRun.Result result = CliRun.run(session, "submit", folder.toString(), "--gpus", "2", "--memory", "8g");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).isEqualTo("45\n");
        assertThat(session.submittedName).isEqualTo("my_job.zip");
        Map<String, ZipArchiveEntry> entries = entries(session.submittedZip);
        assertThat(entries.keySet()).containsExactlyInAnyOrder("Dockerfile", "run.sh", "data/", "data/sub/",
                "data/sub/x.csv", ".gitignore", "container_config.json");
        assertThat(entries.get("run.sh").getUnixMode() & 0777).isEqualTo(0750);
        assertThat(entries.get("Dockerfile").getUnixMode() & 0111).isZero();
        assertThat(content(session.submittedZip, "data/sub/x.csv")).isEqualTo("a,b\n");
    }

    @Test
    void a_folder_without_container_config_gets_one_made_from_the_flags() throws IOException {
        CliRun.run(session, "submit", folder.toString(), "--name", "train", "--gpus", "2", "--memory", "8g",
                "--command", "python train.py --epochs 3");

        var config = new JsonMapper().readTree(content(session.submittedZip, "container_config.json"));
        assertThat(config.get("name").asText()).isEqualTo("train");
        assertThat(config.get("executor_name").asText()).isEqualTo("ana");
        assertThat(config.get("num_gpus").asInt()).isEqualTo(2);
        assertThat(config.get("required_memory").asText()).isEqualTo("8g");
        assertThat(config.get("build_flag").asBoolean()).isTrue();
        assertThat(config.get("command").asText()).isEqualTo("python train.py --epochs 3");
        assertThat(config.has("image")).isFalse();
    }

    @Test
    void an_existing_image_is_run_without_building() throws IOException {
        Files.delete(folder.resolve("Dockerfile"));

        CliRun.run(session, "submit", folder.toString(), "--image", "pytorch/pytorch:2.3");

        var config = new JsonMapper().readTree(content(session.submittedZip, "container_config.json"));
        assertThat(config.get("build_flag").asBoolean()).isFalse();
        assertThat(config.get("image").asText()).isEqualTo("pytorch/pytorch:2.3");
        assertThat(config.get("name").asText()).isEqualTo("my job");
    }

    @Test
    void a_folder_with_its_own_container_config_is_sent_as_it_is() throws IOException {
        String own = "{\"name\": \"mine\", \"executor_name\": \"ana\", \"num_gpus\": 1}";
        Files.writeString(folder.resolve("container_config.json"), own);

        CliRun.Result result = CliRun.run(session, "submit", folder.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(content(session.submittedZip, "container_config.json")).isEqualTo(own);
        assertThat(session.calls).containsExactly("submit", "job:45");
    }

    @Test
    void flags_override_the_keys_of_the_folders_container_config_and_say_which() throws IOException {
        Files.writeString(folder.resolve("container_config.json"), "{\"name\": \"mine\", \"executor_name\": \"ana\","
                + " \"required_memory\": \"4g\", \"env\": {\"SEED\": \"1\"}}");

        CliRun.Result result = CliRun.run(session, "submit", folder.toString(), "--memory", "8g", "--timeout", "2h",
                "--retries", "2", "--cpus", "1.5", "--env", "SEED=2", "--env", "MODE=fast");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).isEqualTo("45\n");
        assertThat(result.err()).isEqualTo("dopq: flags override container_config.json: required_memory (was \"4g\"),"
                + " env.SEED (was \"1\")\n");
        var config = new JsonMapper().readTree(content(session.submittedZip, "container_config.json"));
        assertThat(config.get("name").asText()).isEqualTo("mine");
        assertThat(config.get("required_memory").asText()).isEqualTo("8g");
        assertThat(config.get("timeout").asText()).isEqualTo("2h");
        assertThat(config.get("retries").asInt()).isEqualTo(2);
        assertThat(config.get("cpus").asDouble()).isEqualTo(1.5);
        assertThat(config.get("env").get("SEED").asText()).isEqualTo("2");
        assertThat(config.get("env").get("MODE").asText()).isEqualTo("fast");
        try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(
                new SeekableInMemoryByteChannel(session.submittedZip)).get()) {
            assertThat(java.util.Collections.list(zip.getEntries()).stream().map(ZipArchiveEntry::getName))
                    .containsOnlyOnce("container_config.json");
        }
    }

    @Test
    void image_is_refused_when_the_folder_has_a_container_config() throws IOException {
        Files.writeString(folder.resolve("container_config.json"), "{}");

        CliRun.Result result = CliRun.run(session, "submit", folder.toString(), "--image", "busybox");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("set image and build_flag in it instead");
        assertThat(session.submittedZip).isNull();
    }

    @Test
    void a_folder_without_dockerfile_or_image_is_refused() throws IOException {
        Files.delete(folder.resolve("Dockerfile"));

        CliRun.Result result = CliRun.run(session, "submit", folder.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("has no Dockerfile");
        assertThat(session.submittedZip).isNull();
    }

    @Test
    void a_zip_larger_than_one_chunk_is_uploaded_in_bounded_chunks_byte_for_byte() throws IOException {
        byte[] zip = new byte[ApiLimits.MAX_CHUNK_BYTES * 2 + 123];
        new java.util.Random(7).nextBytes(zip);
        Path file = Files.write(tmp.resolve("big.zip"), zip);

        CliRun.Result result = CliRun.run(session, "submit", file.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(session.chunkSizes).containsExactly(ApiLimits.MAX_CHUNK_BYTES, ApiLimits.MAX_CHUNK_BYTES, 123);
        assertThat(session.submittedZip).isEqualTo(zip);
    }

    @Test
    void a_zip_is_uploaded_byte_for_byte() throws IOException {
        byte[] zip = new ContextZip().zip(folder, null, null);
        Path file = Files.write(tmp.resolve("ready.zip"), zip);

        CliRun.Result result = CliRun.run(session, "submit", file.toString(), "--json");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(session.submittedZip).isEqualTo(zip);
        assertThat(session.submittedName).isEqualTo("ready.zip");
        assertThat(result.out()).contains("\"id\": \"45\"").contains("\"state\": \"QUEUED\"");
    }

    @Test
    void symbolic_links_are_left_out_and_reported() throws IOException {
        Files.createSymbolicLink(folder.resolve("secrets"), Path.of("/etc/passwd"));

        CliRun.Result result = CliRun.run(session, "submit", folder.toString());

        assertThat(entries(session.submittedZip)).doesNotContainKey("secrets");
        assertThat(result.err()).isEqualTo("dopq: skipped symbolic link secrets\n");
    }

    @Test
    void a_missing_path_exits_with_not_found() {
        CliRun.Result result = CliRun.run(session, "submit", tmp.resolve("nope").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(result.err()).startsWith("dopq: no such file or folder: ");
    }

    @Test
    void a_memory_size_that_is_not_a_size_is_a_usage_error() {
        CliRun.Result result = CliRun.run(session, "submit", folder.toString(), "--memory", "lots");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(session.calls).isEmpty();
    }

    @Test
    void array_sets_array_and_max_parallel_in_the_folders_own_config_keeping_the_rest() throws IOException {
        Files.writeString(folder.resolve("container_config.json"),
                "{\"name\": \"sweep\", \"executor_name\": \"ana\", \"num_gpus\": 1}");

        CliRun.Result result = CliRun.run(session, "submit", folder.toString(), "--array", "0-19:2",
                "--max-parallel", "3");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        var config = new JsonMapper().readTree(content(session.submittedZip, "container_config.json"));
        assertThat(config.get("name").asText()).isEqualTo("sweep");
        assertThat(config.get("num_gpus").asInt()).isEqualTo(1);
        assertThat(config.get("array").asText()).isEqualTo("0-19:2");
        assertThat(config.get("max_parallel").asInt()).isEqualTo(3);
        assertThat(entries(session.submittedZip).keySet()).filteredOn(n -> n.endsWith("container_config.json"))
                .hasSize(1);
    }

    @Test
    void array_goes_into_a_config_made_from_the_flags() throws IOException {
        CliRun.run(session, "submit", folder.toString(), "--gpus", "0", "--array", "1,4,9");

        var config = new JsonMapper().readTree(content(session.submittedZip, "container_config.json"));
        assertThat(config.get("array").asText()).isEqualTo("1,4,9");
        assertThat(config.get("num_gpus").asInt()).isZero();
        assertThat(config.has("max_parallel")).isFalse();
    }

    @Test
    void a_malformed_array_or_max_parallel_without_array_is_a_usage_error() {
        assertThat(CliRun.run(session, "submit", folder.toString(), "--array", "0..3").err())
                .contains("--array: \"0..3\" is not a list of indexes");
        assertThat(CliRun.run(session, "submit", folder.toString(), "--max-parallel", "2").exitCode())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(session.submittedZip).isNull();
    }

    @Test
    void after_lists_the_jobs_to_wait_for_in_the_config() throws IOException {
        CliRun.Result result = CliRun.run(session, "submit", folder.toString(), "--after", "12,prep");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        var config = new JsonMapper().readTree(content(session.submittedZip, "container_config.json"));
        assertThat(config.get("after").toString()).isEqualTo("[\"12\",\"prep\"]");
        assertThat(config.has("array")).isFalse();
    }

    @Test
    void gpu_memory_goes_into_the_folders_own_config_or_one_made_from_the_flags() throws IOException {
        CliRun.Result made = CliRun.run(session, "submit", folder.toString(), "--gpu-memory", "10g");

        assertThat(made.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(new JsonMapper().readTree(content(session.submittedZip, "container_config.json"))
                .get("gpu_memory").asText()).isEqualTo("10g");

        Files.writeString(folder.resolve("container_config.json"),
                "{\"name\": \"infer\", \"executor_name\": \"ana\", \"num_gpus\": 1}");
        CliRun.Result own = CliRun.run(session, "submit", folder.toString(), "--gpu-memory", "6g");

        assertThat(own.exitCode()).isEqualTo(ExitCodes.OK);
        var config = new JsonMapper().readTree(content(session.submittedZip, "container_config.json"));
        assertThat(config.get("gpu_memory").asText()).isEqualTo("6g");
        assertThat(config.get("name").asText()).isEqualTo("infer");
    }

    @Test
    void gpu_memory_that_is_not_a_size_or_with_more_than_one_gpu_is_a_usage_error() {
        assertThat(CliRun.run(session, "submit", folder.toString(), "--gpu-memory", "lots").err())
                .contains("--gpu-memory: \"lots\" is not a size");
        assertThat(CliRun.run(session, "submit", folder.toString(), "--gpu-memory", "10g", "--gpus", "2").err())
                .contains("--gpu-memory shares one GPU; use it with --gpus 1 or without --gpus");
        assertThat(session.submittedZip).isNull();
    }
}
