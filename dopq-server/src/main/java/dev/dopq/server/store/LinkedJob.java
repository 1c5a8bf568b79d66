package dev.dopq.server.store;

import dev.dopq.server.core.Job;

import java.util.ArrayList;
import java.util.List;

/**
 * A job to insert together with others ({@link JobStore#updateAndInsert}) that may wait for jobs of the same write,
 * which have no id yet: they are named by their place in it (0 = the updated job, 1 = the first inserted, ...).
 *
 * @param job      the job; its own {@code after} / {@code afterAny} ids are kept
 * @param after    places of jobs of the same write that must succeed first (each before this job's own place)
 * @param afterAny places of jobs of the same write that must end first
 */
public record LinkedJob(Job job, List<Integer> after, List<Integer> afterAny) {
    public LinkedJob {
        after = List.copyOf(after);
        afterAny = List.copyOf(afterAny);
    }

    /** The job with the ids of its places added to its own dependencies. */
    Job resolved(List<Long> idsByPlace) {
        return job.toBuilder().after(withIds(job.after(), after, idsByPlace))
                .afterAny(withIds(job.afterAny(), afterAny, idsByPlace)).build();
    }

    private static List<Long> withIds(List<Long> own, List<Integer> places, List<Long> idsByPlace) {
        List<Long> ids = new ArrayList<>(own);
        for (int place : places) {
            if (place < 0 || place >= idsByPlace.size()) {
                throw new IllegalArgumentException("place " + place + " is not of a job written before this one");
            }
            long id = idsByPlace.get(place);
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }
}
