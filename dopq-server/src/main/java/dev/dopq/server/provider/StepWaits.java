package dev.dopq.server.provider;

import dev.dopq.container.JobList;
import dev.dopq.container.KeySuggestion;
import dev.dopq.server.core.Job;
import dev.dopq.server.service.Dependencies;

import java.util.ArrayList;
import java.util.List;

/**
 * The ids of the existing jobs one job of a zip waits for: its {@code after} / {@code after_any} references that
 * name no entry of its own zip (those are linked when the zip's jobs are queued together).
 */
record StepWaits(List<Long> after, List<Long> afterAny) {
    private static final StepWaits NONE = new StepWaits(List.of(), List.of());

    Job.Builder apply(Job.Builder b) {
        return b.after(after).afterAny(afterAny);
    }

    /**
     * The waits of every job of {@code list}, in its order.
     *
     * @param deps  resolves ids and names of the user's jobs; null on a server without dependencies
     * @param jobId the zip's job, which becomes the list's first job and so cannot wait for itself
     * @throws IllegalArgumentException with a one-line reason when a reference names no job of the user
     */
    static List<StepWaits> resolve(Dependencies deps, JobList list, long jobId) {
        List<String> entryNames = list.listed() ? list.steps().stream().map(s -> s.spec().name()).toList() : List.of();
        List<StepWaits> waits = new ArrayList<>();
        for (JobList.Step step : list.steps()) {
            String prefix = list.listed() ? "jobs entry \"" + step.spec().name() + "\": " : "";
            if (step.afterOutside().isEmpty() && step.afterAnyOutside().isEmpty()) {
                waits.add(NONE);
                continue;
            }
            if (deps == null) {
                throw new IllegalArgumentException(prefix + "after: dependencies are not available on this server");
            }
            String user = step.spec().user();
            StepWaits w = new StepWaits(ids(deps, user, step.afterOutside(), "after", prefix, entryNames),
                    ids(deps, user, step.afterAnyOutside(), "after_any", prefix, entryNames));
            if (waits.isEmpty() && (w.after().contains(jobId) || w.afterAny().contains(jobId))) {
                throw new IllegalArgumentException(prefix + "after: job " + jobId + " cannot wait for itself");
            }
            waits.add(w);
        }
        return waits;
    }

    private static List<Long> ids(Dependencies deps, String user, List<String> refs, String field, String prefix,
                                  List<String> entryNames) {
        List<Long> ids = new ArrayList<>();
        for (String ref : refs) {
            try {
                deps.resolve(user, List.of(ref), field).stream().filter(id -> !ids.contains(id)).forEach(ids::add);
            } catch (IllegalArgumentException e) {
                String hint = KeySuggestion.closest(ref, entryNames)
                        .map(name -> " (did you mean the entry \"" + name + "\"?)").orElse("");
                throw new IllegalArgumentException(prefix + e.getMessage() + hint, e);
            }
        }
        return ids;
    }
}
