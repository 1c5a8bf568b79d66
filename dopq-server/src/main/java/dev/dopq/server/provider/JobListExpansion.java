package dev.dopq.server.provider;

import dev.dopq.container.JobList;
import dev.dopq.container.JobSpec;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.files.JobFolder;
import dev.dopq.server.files.Trees;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.LinkedJob;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Queues the jobs of a zip with a {@code jobs} list. The zip's job is the list's first job (it waits for no other
 * entry); the others are inserted QUEUED with the same image, each with its own spec, name and folder, waiting for
 * the entries they name by those jobs' ids. The first job's move to QUEUED and the inserts are one transaction:
 * all of the list is queued or none of it, and preparing the zip again after a crash queues it once.
 */
final class JobListExpansion {
    private static final String ACTOR = "provider";

    private final Jobs jobs;
    private final BiFunction<Job.Builder, JobSpec, Job.Builder> specFields;

    /** @param specFields sets a job's fields from its spec (name, user, resources, stored spec) */
    JobListExpansion(Jobs jobs, BiFunction<Job.Builder, JobSpec, Job.Builder> specFields) {
        this.jobs = jobs;
        this.specFields = specFields;
    }

    /**
     * Queues {@code first} (BUILDING, the list's first job) with the list's other jobs.
     *
     * @param waits the ids of existing jobs each job of the list waits for, in the list's order
     * @return the stored jobs in the list's order
     */
    List<Job> queueAll(Job first, JobList list, List<StepWaits> waits, String image) throws IOException {
        Path jobsDir = JobFolder.of(first.workDir()).dir().getParent();
        List<JobFolder> folders = new ArrayList<>();
        List<LinkedJob> others = new ArrayList<>();
        List<Job> stored;
        try {
            for (int i = 1; i < list.size(); i++) {
                JobList.Step step = list.steps().get(i);
                JobFolder folder = new JobFolder(Files.createDirectory(jobsDir.resolve(UUID.randomUUID().toString())));
                folders.add(folder);
                Job job = waits.get(i).apply(specFields.apply(first.toBuilder(), step.spec()))
                        .id(0).version(0).state(JobState.QUEUED).image(image).reason(null)
                        .workDir(folder.dir().toString()).build();
                others.add(new LinkedJob(job, step.after(), step.afterAny()));
            }
            stored = jobs.moveWith(first, JobState.QUEUED, ACTOR, b -> b.image(image).reason(null), others);
        } catch (IOException | RuntimeException e) {
            for (JobFolder f : folders) { // nothing was queued: the folders belong to no job
                try {
                    Trees.deleteTree(f.dir());
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup); // the next start removes folders of no job
                }
            }
            throw e;
        }
        // a crash before a marker is written leaves a folder its job's row names: the start keeps those
        for (int i = 1; i < stored.size(); i++) {
            Files.writeString(folders.get(i - 1).idMarker(), Long.toString(stored.get(i).id()), dev.dopq.server.files.JobFolder.noLinks());
        }
        return stored;
    }
}
