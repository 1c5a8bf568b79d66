package dev.dopq.server.provider;

import dev.dopq.server.finish.ShareWriter;
import dev.dopq.server.finish.Finisher;
import dev.dopq.server.files.JobFolder;
import dev.dopq.container.SpecPolicy;
import dev.dopq.docker.SafeZipExtractor;
import dev.dopq.docker.ZipLimits;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.PriorityLimits;
import dev.dopq.server.core.Quotas;
import dev.dopq.server.config.DopqConfig.Provider.Identity;
import dev.dopq.server.service.Accounts;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.InMemoryJobStore;
import dev.dopq.server.store.InMemoryUserStore;
import dev.dopq.server.testutil.FakeImages;
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
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * From a taken zip to a QUEUED job with its image, on images in memory (the real build is covered by ITs); and the
 * refusals: the job ends with a reason, the zip is never lost.
 */
class JobPreparerTest {
    @TempDir
    Path dir;
    Path inbox;
    Path ana;
    Jobs jobs;
    Accounts accounts;
    MutableClock clock;
    Intake intake;
    JobPreparer preparer;
    final FakeImages images = new FakeImages();

    @BeforeEach
    void setUp() throws IOException {
        inbox = Files.createDirectories(dir.resolve("inbox"));
        ana = Files.createDirectories(inbox.resolve("ana"));
        clock = MutableClock.at("2026-01-01T00:00:00Z");
        jobs = new Jobs(new InMemoryJobStore(clock));
        accounts = new Accounts(new InMemoryUserStore(), clock);
        accounts.bootstrap(List.of("ana", "bob"), List.of(), dir.resolve("admin.token"));
        ShareWriter share = new ShareWriter(inbox);
        jobs.addListener(new Finisher(share, images, true, Runnable::run));
        intake = new Intake(inbox, dir.resolve("work"), jobs, clock);
        preparer = preparer(Identity.FOLDER);
    }

    private JobPreparer preparer(Identity identity) {
        return new JobPreparer(jobs, new SafeZipExtractor(ZipLimits.defaults()), images,
                accounts, () -> new SpecPolicy(1, 8L << 30, false, false), identity, "inbox", "test");
    }

    @Test
    void a_good_zip_is_built_into_an_image_labelled_with_its_job_and_queued_under_its_user() throws IOException {
        Job job = intake.take(aZip().name("train").user("ana").gpus(1).writeInto(ana, "train.zip"));
        assertThat(job.ownerKnown()).as("owner before the config is read").isFalse();

        preparer.prepare(job.id());

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.QUEUED);
        assertThat(after.user()).isEqualTo("ana");
        assertThat(after.name()).isEqualTo("train");
        assertThat(after.gpusRequested()).isEqualTo(1);
        assertThat(images.built).containsExactly(after.image());
        assertThat(images.images.get(after.image())).containsEntry("dopq.job", Long.toString(job.id()))
                .containsEntry("dopq.user", "ana").containsEntry("dopq.instance", "test");
        assertThat(jobs.store().events(job.id())).extracting(e -> e.to())
                .containsExactly(JobState.RECEIVED, JobState.BUILDING, JobState.QUEUED);
    }

    @Test
    void a_build_that_lost_a_cached_layer_to_a_concurrent_image_removal_is_built_once_more() throws IOException {
        images.nextBuildErrors.add("failed to get digest sha256:c835: open /var/lib/docker/image/overlay2/imagedb/"
                + "content/sha256/c835: no such file or directory");
        Job job = intake.take(aZip().name("train").user("ana").writeInto(ana, "train.zip"));

        preparer.prepare(job.id());

        assertThat(jobs.find(job.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
        assertThat(images.built).hasSize(1);
    }

    @Test
    void a_build_the_engine_fails_ends_the_job_failed_with_the_engines_last_line() throws IOException {
        images.buildError = "The command '/bin/sh -c exit 3' returned a non-zero code: 3";
        Job job = intake.take(aZip().name("broken").user("ana").writeInto(ana, "broken.zip"));

        preparer.prepare(job.id());

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.FAILED);
        assertThat(after.reason()).contains("returned a non-zero code: 3");
        assertThat(images.present()).isEmpty();
    }

    @Test
    void a_bad_entry_found_while_the_context_streams_rejects_the_job_with_the_reason_and_keeps_the_zip()
            throws IOException {
        Job job = intake.take(aZip().name("train").user("ana").withFile("zz-zeros", new byte[8 << 20])
                .writeInto(ana, "train.zip"));

        preparer.prepare(job.id());

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.REJECTED);
        assertThat(after.reason()).isEqualTo("entry \"zz-zeros\" unpacks to more than 200 times its packed size"
                + " (a zip bomb?)");
        assertThat(jobs.store().events(job.id())).extracting(e -> e.to())
                .containsExactly(JobState.RECEIVED, JobState.BUILDING, JobState.REJECTED);
        assertThat(images.present()).isEmpty();
        assertThat(ana.resolve("failed/train.zip")).exists();
        assertThat(ana.resolve("failed/train.reason.txt")).content().startsWith(after.reason());
    }

    @Test
    void a_zip_of_an_unknown_user_is_rejected_and_returned_to_failed_with_the_reason() throws IOException {
        Job job = intake.take(aZip().name("train").user("mallory").writeInto(ana, "train.zip"));

        preparer.prepare(job.id());

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.REJECTED);
        assertThat(after.reason()).startsWith("unknown user \"mallory\"");
        assertThat(after.user()).as("the folder proves who dropped it").isEqualTo("ana");
        assertThat(ana.resolve("failed/train.zip")).exists();
        assertThat(ana.resolve("failed/train.reason.txt")).content().startsWith(after.reason());
        assertThat(ana.resolve("results")).as("its outcome is in failed/ only").doesNotExist();
    }

    @Test
    void when_the_share_cannot_take_a_refused_zip_the_job_still_ends_and_its_zip_is_kept() throws IOException {
        Job job = intake.take(aZip().name("train").user("mallory").writeInto(ana, "train.zip"));
        Files.writeString(ana.resolve("failed"), "a file where the failed/ folder should be");

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
    void a_refused_zip_naming_an_unknown_user_belongs_to_the_user_its_folder_proves_not_to_the_name() throws IOException {
        Job job = intake.take(zipWithConfig("{\"name\": \"typo\", \"executor_name\": \"mallory\", \"num_gpu\": 1}",
                StandardCharsets.UTF_8));

        preparer.prepare(job.id());

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.REJECTED);
        assertThat(after.user()).isEqualTo("ana");
    }

    @Test
    void a_job_that_asks_for_no_memory_gets_the_default_limit_and_one_that_asks_keeps_its_own() throws IOException {
        Accounts accounts = new Accounts(new InMemoryUserStore(), MutableClock.at("2026-01-01T00:00:00Z"));
        accounts.bootstrap(List.of("ana"), List.of(), dir.resolve("admin2.token"));
        JobPreparer withDefault = new JobPreparer(jobs, new SafeZipExtractor(ZipLimits.defaults()),
                images, accounts, () -> new SpecPolicy(1, 64L << 30, false, false), Identity.FOLDER,
                "inbox", "test", 32L << 30);
        Job plain = intake.take(aZip().name("plain").user("ana").writeInto(ana, "plain.zip"));
        Job asking = intake.take(aZip().name("asking").user("ana").field("required_memory", "\"1g\"")
                .writeInto(ana, "asking.zip"));

        withDefault.prepare(plain.id());
        withDefault.prepare(asking.id());

        // no engine here: the build fails, after the limits were stored with the BUILDING transition
        assertThat(jobs.find(plain.id()).orElseThrow().memoryBytes()).isEqualTo(32L << 30);
        assertThat(jobs.find(asking.id()).orElseThrow().memoryBytes()).isEqualTo(1L << 30);
        assertThat(jobs.store().events(plain.id())).extracting(e -> e.to()).contains(JobState.BUILDING);
    }

    private Path zipWithConfig(String config, Charset charset) throws IOException {
        return zipWithConfig(config, charset, true);
    }

    private Path zipWithConfig(String config, Charset charset, boolean dockerfile) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, byte[]> files = dockerfile ? Map.of("container_config.json", config.getBytes(charset),
                "Dockerfile", "FROM scratch\n".getBytes(StandardCharsets.UTF_8))
                : Map.of("container_config.json", config.getBytes(charset));
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                zip.putArchiveEntry(new ZipArchiveEntry(f.getKey()));
                zip.write(f.getValue());
                zip.closeArchiveEntry();
            }
        }
        return Files.write(ana.resolve("config.zip"), out.toByteArray());
    }

    @Test
    void a_zip_that_is_not_a_build_context_is_rejected_with_what_is_missing() throws IOException {
        Job job = intake.take(aZip().name("train").user("ana").writeInto(ana, "train.zip"));
        Files.write(JobFolder.of(job.workDir()).zip(), new byte[]{'P', 'K', 3, 4, 0, 0});

        preparer.prepare(job.id());

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.REJECTED);
        assertThat(after.reason()).isNotBlank();
        assertThat(ana.resolve("failed/train.reason.txt")).content().startsWith(after.reason());
    }

    @Test
    void a_zip_at_the_top_of_the_inbox_never_runs_and_is_told_where_to_go() throws IOException {
        Job job = intake.take(aZip().name("train").user("ana").writeInto(inbox, "train.zip"));

        preparer.prepare(job.id());

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.REJECTED);
        assertThat(after.reason()).contains("put it in inbox/<user>/");
        assertThat(after.ownerKnown()).as("nothing proves a user").isFalse();
        assertThat(inbox.resolve("failed/train.zip")).exists();
        assertThat(inbox.resolve("failed/train.reason.txt")).content().startsWith(after.reason());
    }

    @Test
    void a_zip_over_its_users_max_queued_is_rejected_with_the_quota_and_kept_in_failed() throws IOException {
        preparer.useQuotas(() -> new Quotas(new Quotas.Limits(null, 1, null), Map.of()));
        jobs.insert(Job.builder().name("waiting").user("ana").state(JobState.QUEUED).build(), "test");
        Job job = intake.take(aZip().name("train").user("ana").writeInto(ana, "train.zip"));

        preparer.prepare(job.id());

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.REJECTED);
        assertThat(after.reason()).isEqualTo("quota: ana has 1 of 1 jobs waiting; wait until some start");
        assertThat(ana.resolve("failed/train.zip")).exists();
    }

    @Test
    void a_zip_priority_up_to_the_users_maximum_is_kept_and_one_above_it_is_rejected_naming_the_maximum()
            throws IOException {
        preparer.usePriorities(new PriorityLimits(0, Map.of("ana", 10)));
        Job allowed = intake.take(aZip().name("urgent").user("ana").field("priority", "10")
                .writeInto(ana, "urgent.zip"));
        Job over = intake.take(aZip().name("greedy").user("ana").field("priority", "11")
                .writeInto(ana, "greedy.zip"));

        preparer.prepare(allowed.id());
        preparer.prepare(over.id());

        assertThat(jobs.find(allowed.id()).orElseThrow())
                .satisfies(j -> assertThat(j.state()).isEqualTo(JobState.QUEUED))
                .satisfies(j -> assertThat(j.priority()).isEqualTo(10));
        Job rejected = jobs.find(over.id()).orElseThrow();
        assertThat(rejected.state()).isEqualTo(JobState.REJECTED);
        assertThat(rejected.reason()).isEqualTo("priority 11 is above what ana may ask for (max_priority 10); ask an"
                + " admin to raise it with dopq priority");
        assertThat(ana.resolve("failed/greedy.zip")).exists();
    }

    @Test
    void a_job_held_while_it_was_built_is_queued_held() throws IOException {
        Job job = intake.take(aZip().name("train").user("ana").writeInto(ana, "train.zip"));
        images.beforeBuild = () -> {
            Job building = jobs.find(job.id()).orElseThrow();
            jobs.change(building, "ana", b -> b.heldBy("ana"));
        };

        preparer.prepare(job.id());

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.QUEUED);
        assertThat(after.heldBy()).isEqualTo("ana");
    }

    @Test
    void image_tags_are_valid_repository_names_for_any_job_name() {
        assertThat(JobPreparer.imageTag(Job.builder().id(7).name("sweep[3]").build(), "ab12"))
                .isEqualTo("dopq/sweep-3:ab12-7");
        assertThat(JobPreparer.imageTag(Job.builder().id(8).name("My..Job_-.x.").build(), "ab12"))
                .isEqualTo("dopq/my-job-x:ab12-8");
        assertThat(JobPreparer.imageTag(Job.builder().id(9).name("[]").build(), "ab12"))
                .isEqualTo("dopq/job:ab12-9");
    }

    @Test
    void a_zip_in_a_folder_of_no_known_user_never_runs_and_goes_to_the_top_failed_folder() throws IOException {
        Job job = intake.take(aZip().name("train").user("ana").writeInto(inbox.resolve("stranger"), "train.zip"));

        preparer.prepare(job.id());

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.REJECTED);
        assertThat(after.reason()).startsWith("\"stranger\" is not the folder of a known user")
                .contains("inbox/<user>/");
        assertThat(inbox.resolve("failed/train.zip")).exists();
        assertThat(inbox.resolve("stranger/failed")).doesNotExist();
    }

    @Test
    void a_zip_in_a_users_folder_claiming_another_user_is_rejected_naming_both() throws IOException {
        Job job = intake.take(aZip().name("train").user("bob").writeInto(ana, "train.zip"));

        preparer.prepare(job.id());

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(JobState.REJECTED);
        assertThat(after.reason()).contains("ana's folder").contains("\"bob\"");
        assertThat(after.user()).as("history shows who dropped it, not whom it claimed").isEqualTo("ana");
        assertThat(ana.resolve("failed/train.reason.txt")).content().startsWith(after.reason());
        assertThat(inbox.resolve("bob")).as("nothing reaches bob's folder").doesNotExist();
    }

    @Test
    void a_zip_without_executor_name_runs_as_its_folders_user() throws IOException {
        Job job = intake.take(zipWithConfig("{\"name\": \"noexec\", \"build_flag\": true}",
                StandardCharsets.UTF_8, false));

        preparer.prepare(job.id());

        Job after = jobs.find(job.id()).orElseThrow();
        assertThat(after.reason()).as("past the user check, stopped by the missing Dockerfile")
                .isEqualTo("no Dockerfile in the zip (build_flag is true)");
        assertThat(after.user()).isEqualTo("ana");
    }

    @Test
    void with_identity_owner_a_root_owned_zip_is_refused_and_with_claim_the_claim_is_trusted() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "the zip files must be root's");
        Job owned = intake.take(zipWithConfig("{\"name\": \"x\", \"executor_name\": \"ana\"}",
                StandardCharsets.UTF_8, false));
        preparer(Identity.OWNER).prepare(owned.id());
        assertThat(jobs.find(owned.id()).orElseThrow().reason()).startsWith("the zip file is owned by root");

        Job claimed = intake.take(Files.move(zipWithConfig("{\"name\": \"y\", \"executor_name\": \"bob\"}",
                StandardCharsets.UTF_8, false), inbox.resolve("y.zip")));
        preparer(Identity.CLAIM).prepare(claimed.id());
        Job after = jobs.find(claimed.id()).orElseThrow();
        assertThat(after.reason()).as("past the user check at the top of the inbox")
                .isEqualTo("no Dockerfile in the zip (build_flag is true)");
    }
}
