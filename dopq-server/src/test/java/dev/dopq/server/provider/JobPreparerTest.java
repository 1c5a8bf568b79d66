package dev.dopq.server.provider;

import dev.dopq.server.finish.ShareWriter;
import dev.dopq.server.finish.Finisher;
import dev.dopq.server.files.JobFolder;
import dev.dopq.container.SpecPolicy;
import dev.dopq.docker.ImageBuilder;
import dev.dopq.docker.SafeZipExtractor;
import dev.dopq.docker.ZipLimits;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.Accounts;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.InMemoryJobStore;
import dev.dopq.server.store.InMemoryUserStore;
import dev.dopq.server.testutil.MutableClock;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/** Refusals before any image is built (no engine needed): the job ends with a reason, the zip is never lost. */
class JobPreparerTest {
    @TempDir
    Path dir;
    Path inbox;
    Jobs jobs;
    Intake intake;
    JobPreparer preparer;

    @BeforeEach
    void setUp() throws IOException {
        inbox = Files.createDirectories(dir.resolve("inbox"));
        MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
        jobs = new Jobs(new InMemoryJobStore(clock));
        Accounts accounts = new Accounts(new InMemoryUserStore(), clock);
        accounts.bootstrap(List.of("ana"), List.of(), dir.resolve("admin.token"));
        ShareWriter share = new ShareWriter(inbox);
        jobs.addListener(new Finisher(share, new ImageBuilder(null), true, Runnable::run));
        intake = new Intake(inbox, dir.resolve("work"), jobs, clock);
        preparer = new JobPreparer(jobs, new SafeZipExtractor(ZipLimits.defaults()), new ImageBuilder(null),
                accounts, () -> new SpecPolicy(1, 8L << 30, false, false), false, "test");
    }

    @Test
    void a_zip_of_an_unknown_user_is_rejected_and_returned_to_failed_with_the_reason() throws IOException {
        Job job = intake.take(aZip().name("train").user("mallory").writeInto(inbox, "train.zip"));

        preparer.prepare(job.id());

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.REJECTED);
        assertThat(after.reason()).startsWith("unknown user \"mallory\"");
        assertThat(inbox.resolve("failed/train.zip")).exists();
        assertThat(inbox.resolve("failed/train.reason.txt")).content().startsWith(after.reason());
        assertThat(inbox.resolve("results")).as("its outcome is in failed/ only").doesNotExist();
    }

    @Test
    void when_the_share_cannot_take_a_refused_zip_the_job_still_ends_and_its_zip_is_kept() throws IOException {
        Job job = intake.take(aZip().name("train").user("mallory").writeInto(inbox, "train.zip"));
        Files.writeString(inbox.resolve("failed"), "a file where the failed/ folder should be");

        preparer.prepare(job.id());

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.REJECTED);
        assertThat(after.reason()).startsWith("unknown user \"mallory\"");
        assertThat(JobFolder.of(after.workDir()).zip()).as("the only copy of the user's zip").exists();
    }

    @Test
    void a_config_saved_by_a_windows_editor_with_a_byte_order_mark_is_read() throws IOException {
        Job job = intake.take(zipWithConfig("\uFEFF{\"name\": \"bom\", \"executor_name\": \"mallory\"}",
                StandardCharsets.UTF_8));

        preparer.prepare(job.id());

        assertThat(jobs.find(job.id()).orElseThrow().reason()).as("parsed up to the user check")
                .startsWith("unknown user \"mallory\"");
    }

    @Test
    void a_config_in_another_encoding_is_rejected_with_how_to_save_it() throws IOException {
        Job job = intake.take(zipWithConfig("{\"name\": \"latin\", \"executor_name\": \"ana\","
                + " \"run_params\": {\"command\": \"echo M\u00fcller\"}}", StandardCharsets.ISO_8859_1));

        preparer.prepare(job.id());

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.REJECTED);
        assertThat(after.reason()).isEqualTo(ConfigText.NOT_UTF8);
    }

    @Test
    void a_zip_with_a_mistyped_key_is_rejected_as_the_known_users_job() throws IOException {
        Job job = intake.take(zipWithConfig("{\"name\": \"typo\", \"executor_name\": \"Ana\", \"num_gpu\": 1}",
                StandardCharsets.UTF_8));

        preparer.prepare(job.id());

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.REJECTED);
        assertThat(after.reason()).contains("num_gpu");
        assertThat(after.user()).isEqualTo("ana");
        assertThat(jobs.store().history("ana", null, null, 10)).extracting(Job::id).containsExactly(job.id());
    }

    @Test
    void a_zip_naming_an_unknown_user_is_rejected_without_an_owner() throws IOException {
        Job job = intake.take(zipWithConfig("{\"name\": \"typo\", \"executor_name\": \"mallory\", \"num_gpu\": 1}",
                StandardCharsets.UTF_8));

        preparer.prepare(job.id());

        assertThat(jobs.find(job.id()).orElseThrow().user()).isEqualTo(Jobs.NOT_YET_KNOWN);
    }

    @Test
    void a_job_that_asks_for_no_memory_gets_the_default_limit_and_one_that_asks_keeps_its_own() throws IOException {
        Accounts accounts = new Accounts(new InMemoryUserStore(), MutableClock.at("2026-01-01T00:00:00Z"));
        accounts.bootstrap(List.of("ana"), List.of(), dir.resolve("admin2.token"));
        JobPreparer withDefault = new JobPreparer(jobs, new SafeZipExtractor(ZipLimits.defaults()),
                new ImageBuilder(null), accounts, () -> new SpecPolicy(1, 64L << 30, false, false), false, "test",
                32L << 30);
        Job plain = intake.take(aZip().name("plain").user("ana").writeInto(inbox, "plain.zip"));
        Job asking = intake.take(aZip().name("asking").user("ana").field("required_memory", "\"1g\"")
                .writeInto(inbox, "asking.zip"));

        withDefault.prepare(plain.id());
        withDefault.prepare(asking.id());

        // no engine here: the build fails, after the limits were stored with the BUILDING transition
        assertThat(jobs.find(plain.id()).orElseThrow().memoryBytes()).isEqualTo(32L << 30);
        assertThat(jobs.find(asking.id()).orElseThrow().memoryBytes()).isEqualTo(1L << 30);
        assertThat(jobs.store().events(plain.id())).extracting(e -> e.to()).contains(JobState.BUILDING);
    }

    private Path zipWithConfig(String config, Charset charset) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            for (Map.Entry<String, byte[]> f : Map.of("container_config.json", config.getBytes(charset),
                    "Dockerfile", "FROM scratch\n".getBytes(StandardCharsets.UTF_8)).entrySet()) {
                zip.putArchiveEntry(new ZipArchiveEntry(f.getKey()));
                zip.write(f.getValue());
                zip.closeArchiveEntry();
            }
        }
        return Files.write(inbox.resolve("config.zip"), out.toByteArray());
    }

    @Test
    void a_zip_that_is_not_a_build_context_is_rejected_with_what_is_missing() throws IOException {
        Job job = intake.take(aZip().name("train").user("ana").writeInto(inbox, "train.zip"));
        Files.write(JobFolder.of(job.workDir()).zip(), new byte[]{'P', 'K', 3, 4, 0, 0});

        preparer.prepare(job.id());

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.REJECTED);
        assertThat(after.reason()).isNotBlank();
        assertThat(inbox.resolve("failed/train.reason.txt")).content().startsWith(after.reason());
    }
}
