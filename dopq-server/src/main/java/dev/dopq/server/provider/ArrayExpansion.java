package dev.dopq.server.provider;

import dev.dopq.container.JobSpec;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.files.JobFolder;
import dev.dopq.server.service.Jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Makes the jobs of a job array. The zip's job is the array's first job (its id is the array's id); the others
 * are inserted QUEUED with the same image and spec, each with its own folder, before the first job is queued.
 * Indexes that already have a job are skipped, so preparing the array again after a crash makes no duplicates.
 */
final class ArrayExpansion {
    private static final String ACTOR = "provider";

    private final Jobs jobs;

    ArrayExpansion(Jobs jobs) {
        this.jobs = jobs;
    }

    /** "train[3]". */
    static String memberName(String name, int index) {
        return name + "[" + index + "]";
    }

    /** The first job's fields as an array's first job. */
    static Job.Builder asFirst(Job.Builder b, long jobId, JobSpec spec) {
        int first = spec.arrayIndexes().get(0);
        return b.arrayId(jobId).arrayIndex(first).maxParallel(spec.maxParallel())
                .name(memberName(spec.name(), first));
    }

    /**
     * Inserts the array's jobs after the first, except those already there.
     *
     * @param first the array's first job (BUILDING, with its array fields set)
     * @return how many jobs were inserted
     */
    int insertOthers(Job first, JobSpec spec, String image) throws IOException {
        Set<Integer> present = new HashSet<>();
        jobs.store().arrayMembers(first.id()).forEach(j -> present.add(j.arrayIndex()));
        present.add(first.arrayIndex());
        Path jobsDir = JobFolder.of(first.workDir()).dir().getParent();
        List<Integer> indexes = spec.arrayIndexes();
        int inserted = 0;
        for (int index : indexes) {
            if (present.contains(index)) {
                continue;
            }
            JobFolder folder = new JobFolder(Files.createDirectory(jobsDir.resolve(UUID.randomUUID().toString())));
            Job member = jobs.insert(first.toBuilder().id(0).version(0).state(JobState.QUEUED)
                    .name(memberName(spec.name(), index)).arrayIndex(index).image(image).reason(null)
                    .workDir(folder.dir().toString()).build(), ACTOR);
            Files.writeString(folder.idMarker(), Long.toString(member.id()), dev.dopq.server.files.JobFolder.noLinks());
            inserted++;
        }
        return inserted;
    }

    /**
     * The first job ended while its array was being made (deleted while building): its other jobs must not run
     * on their own, so those not ended yet end CANCELLED too.
     */
    void cancelOthers(long arrayId) {
        for (Job member : jobs.store().arrayMembers(arrayId)) {
            if (member.id() == arrayId || member.state().isTerminal() || member.state() == JobState.RUNNING) {
                continue;
            }
            try {
                jobs.move(member, JobState.CANCELLED, ACTOR, b -> b.reason("array " + arrayId + " was deleted"));
            } catch (RuntimeException e) {
                // it moved on meanwhile (started or was deleted itself); the queue and its owner handle it
            }
        }
    }
}
