package dev.dopq.server.provider;

import dev.dopq.container.JobSpec;
import dev.dopq.container.SpecPolicy;
import dev.dopq.docker.SafeZipExtractor;
import dev.dopq.docker.ZipLimits;
import dev.dopq.server.config.DopqConfig.Provider.Identity;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.Quotas;
import dev.dopq.server.files.JobFolder;
import dev.dopq.server.finish.Finisher;
import dev.dopq.server.finish.ShareWriter;
import dev.dopq.server.service.Accounts;
import dev.dopq.server.service.Dependencies;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.InMemoryJobStore;
import dev.dopq.server.store.InMemoryUserStore;
import dev.dopq.server.testutil.FakeImages;
import dev.dopq.server.testutil.JobZips;
import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;

/** A zip with a {@code jobs} list, from the taken zip to its queued jobs, on images in memory. */
class JobListPreparerTest {
    @TempDir
    Path dir;
    Path ana;
    Jobs jobs;
    MutableClock clock;
    Intake intake;
    JobPreparer preparer;
    Dependencies dependencies;
    final FakeImages images = new FakeImages();

    @BeforeEach
    void setUp() throws IOException {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        ana = Files.createDirectories(inbox.resolve("ana"));
        clock = MutableClock.at("2026-01-01T00:00:00Z");
        jobs = new Jobs(new InMemoryJobStore(clock));
        Accounts accounts = new Accounts(new InMemoryUserStore(), clock);
        accounts.bootstrap(List.of("ana", "bob"), List.of(), dir.resolve("admin.token"));
        jobs.addListener(new Finisher(new ShareWriter(inbox), images, true, Runnable::run));
        intake = new Intake(inbox, dir.resolve("work"), jobs, clock);
        preparer = new JobPreparer(jobs, new SafeZipExtractor(ZipLimits.defaults()), images, accounts,
                () -> new SpecPolicy(1, 8L << 30, false, false), Identity.FOLDER, "inbox", "test");
        dependencies = new Dependencies(jobs, clock);
        preparer.useDependencies(dependencies);
    }

    /** prep -> train -> eval, listed out of order, as user ana with one GPU by default. */
    private static JobZips pipeline() {
        return aZip().name("pipe").user("ana").gpus(0).field("env", "{\"DATA\": \"/data\"}").field("jobs", """
                [{"name": "eval", "command": "echo eval", "after": ["train"]},
                 {"name": "train", "num_gpus": 1, "command": "echo train", "after": "prep", "env": {"LR": "0.1"}},
                 {"name": "prep", "command": "echo prep", "timeout": "10m"}]""");
    }

    private Job take(JobZips zip, String fileName) throws IOException {
        return intake.take(zip.writeInto(ana, fileName));
    }

    private List<Job> all() {
        return jobs.store().inStates(EnumSet.allOf(JobState.class));
    }

    private Job named(String name) {
        return all().stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void each_entry_becomes_a_queued_job_of_its_name_from_one_image_waiting_for_the_entries_it_names()
            throws IOException {
        Job zip = take(pipeline(), "pipe.zip");

        preparer.prepare(zip.id());

        Job prep = named("prep");
        Job train = named("train");
        Job eval = named("eval");
        assertThat(prep.id()).as("the zip's job is the entry that waits for none").isEqualTo(zip.id());
        assertThat(all()).hasSize(3).extracting(Job::state).containsOnly(JobState.QUEUED);
        assertThat(images.built).containsExactly(prep.image());
        assertThat(List.of(train.image(), eval.image())).containsOnly(prep.image());
        assertThat(prep.after()).isEmpty();
        assertThat(train.after()).containsExactly(prep.id());
        assertThat(eval.after()).containsExactly(train.id());
        assertThat(train.gpusRequested()).isEqualTo(1);
        assertThat(eval.gpusRequested()).as("the top level's num_gpus").isZero();
        assertThat(prep.timeout()).hasMinutes(10);
        JobSpec trainSpec = JobSpec.fromJson(train.specJson());
        assertThat(trainSpec.command()).containsExactly("echo", "train");
        assertThat(trainSpec.env()).containsEntry("DATA", "/data").containsEntry("LR", "0.1");
        assertThat(List.of(prep.workDir(), train.workDir(), eval.workDir())).doesNotHaveDuplicates();
        assertThat(JobFolder.of(eval.workDir()).idMarker()).content().isEqualTo(Long.toString(eval.id()));
        assertThat(jobs.active().inStates(EnumSet.of(JobState.QUEUED))).extracting(Job::id)
                .containsExactlyInAnyOrder(prep.id(), train.id(), eval.id());
    }

    @Test
    void a_failed_first_step_cancels_the_chain_step_by_step_with_the_dependency_named() throws IOException {
        Job zip = take(pipeline(), "pipe.zip");
        preparer.prepare(zip.id());
        Job prep = named("prep");
        Job train = named("train");
        Job eval = named("eval");

        Job running = jobs.move(prep, JobState.RUNNING, "queue", b -> b.startedAt(clock.instant()));
        assertThat(dependencies.blocked()).containsEntry(train.id(),
                "waits for job " + prep.id() + " to succeed (it is running)");
        jobs.move(running, JobState.FAILED, "queue", b -> b.exitCode(1));
        dependencies.blocked();
        dependencies.blocked();

        assertThat(jobs.find(train.id()).orElseThrow()).satisfies(j -> {
            assertThat(j.state()).isEqualTo(JobState.CANCELLED);
            assertThat(j.reason()).isEqualTo("dependency " + prep.id() + " failed");
        });
        assertThat(jobs.find(eval.id()).orElseThrow()).satisfies(j -> {
            assertThat(j.state()).isEqualTo(JobState.CANCELLED);
            assertThat(j.reason()).isEqualTo("dependency " + train.id() + " failed");
        });
    }

    @Test
    void a_reference_to_an_existing_job_waits_for_that_job_and_a_misspelt_entry_rejects_the_zip_with_a_hint()
            throws IOException {
        Job cleanup = jobs.insert(Job.builder().name("cleanup").user("ana").state(JobState.SUCCEEDED).build(), "test");
        Job zip = take(aZip().name("pipe").user("ana").gpus(0).field("jobs", """
                [{"name": "prep", "after": ["cleanup"]}, {"name": "train", "after": ["prep", "%d"]}]"""
                .formatted(cleanup.id())), "ok.zip");
        preparer.prepare(zip.id());

        assertThat(named("prep").after()).containsExactly(cleanup.id());
        assertThat(named("train").after()).containsExactlyInAnyOrder(cleanup.id(), zip.id());

        Job typo = take(aZip().name("typo").user("ana").gpus(0).field("jobs", """
                [{"name": "preprocess"}, {"name": "score", "after": ["preproces"]}]"""), "typo.zip");
        preparer.prepare(typo.id());

        Job rejected = jobs.find(typo.id()).orElseThrow();
        assertThat(rejected.state()).isEqualTo(JobState.REJECTED);
        assertThat(rejected.reason()).isEqualTo("jobs entry \"score\": after: unknown dependency \"preproces\": no job"
                + " of ana has that id or name (did you mean the entry \"preprocess\"?)");
        assertThat(all()).noneMatch(j -> j.name().equals("preprocess") || j.name().equals("score"));
        assertThat(ana.resolve("failed/typo.zip")).exists();
        assertThat(ana.resolve("failed/typo.reason.txt")).content().startsWith(rejected.reason());
    }

    @Test
    void a_cyclic_list_is_rejected_naming_the_cycle_and_queues_nothing() throws IOException {
        Job zip = take(aZip().name("loop").user("ana").gpus(0).field("jobs", """
                [{"name": "a", "after": "b"}, {"name": "b", "after": "a"}]"""), "loop.zip");

        preparer.prepare(zip.id());

        Job rejected = jobs.find(zip.id()).orElseThrow();
        assertThat(rejected.state()).isEqualTo(JobState.REJECTED);
        assertThat(rejected.reason()).isEqualTo("jobs: cycle: a -> b -> a (each job waits for the one before it)");
        assertThat(all()).containsExactly(rejected);
        assertThat(images.built).isEmpty();
        assertThat(ana.resolve("failed/loop.reason.txt")).content().startsWith(rejected.reason());
    }

    @Test
    void a_list_whose_preparation_a_crash_cut_off_while_building_is_queued_once_when_prepared_again()
            throws IOException {
        Job zip = take(pipeline(), "pipe.zip");
        // the state a crash during the build leaves: BUILDING, no other job of the list yet
        jobs.move(zip, JobState.BUILDING, "provider", b -> b.name("prep").user("ana"));

        preparer.prepare(zip.id());
        preparer.prepare(zip.id());

        assertThat(all()).extracting(Job::name).containsExactlyInAnyOrder("prep", "train", "eval");
        assertThat(all()).extracting(Job::state).containsOnly(JobState.QUEUED);
        assertThat(named("train").after()).containsExactly(zip.id());
    }

    @Test
    void every_entry_counts_against_max_queued() throws IOException {
        preparer.useQuotas(() -> new Quotas(new Quotas.Limits(null, 2, null), Map.of()));
        Job zip = take(pipeline(), "pipe.zip");

        preparer.prepare(zip.id());

        Job rejected = jobs.find(zip.id()).orElseThrow();
        assertThat(rejected.state()).isEqualTo(JobState.REJECTED);
        assertThat(rejected.reason()).startsWith("quota: ana");
        assertThat(all()).containsExactly(rejected);
    }

    @Test
    void a_zip_deleted_while_its_image_was_built_queues_none_of_its_jobs_and_leaves_no_folders() throws IOException {
        jobs.addListener((before, after) -> {
            if (after.state() == JobState.BUILDING) {
                jobs.move(after, JobState.CANCELLED, "ana", b -> b.reason("deleted by ana"));
            }
        });
        Job zip = take(pipeline(), "pipe.zip");

        preparer.prepare(zip.id());

        assertThat(all()).singleElement().satisfies(j -> {
            assertThat(j.id()).isEqualTo(zip.id());
            assertThat(j.state()).isEqualTo(JobState.CANCELLED);
        });
        try (Stream<Path> folders = Files.list(dir.resolve("work/jobs"))) {
            assertThat(folders.sorted(Comparator.naturalOrder()).toList())
                    .containsExactly(JobFolder.of(zip.workDir()).dir());
        }
    }
}
