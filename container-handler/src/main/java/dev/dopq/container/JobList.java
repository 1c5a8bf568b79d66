package dev.dopq.container;

import java.util.List;

/**
 * The jobs one {@code container_config.json} asks for: a single job, or the entries of its {@code jobs} list in an
 * order in which every entry comes after the entries it waits for (the file's order where it is free).
 *
 * @param steps  the jobs, in that order; never empty
 * @param listed whether the file had a {@code jobs} list (a single job otherwise)
 */
public record JobList(List<Step> steps, boolean listed) {

    /**
     * One job of the list.
     *
     * @param spec            its validated spec (its {@code after}/{@code after_any} as written)
     * @param after           places in {@link #steps} of the entries it waits for to succeed (all before its own)
     * @param afterAny        places of the entries it waits for to end
     * @param afterOutside    its {@code after} references that name no entry: ids or names of the user's jobs
     * @param afterAnyOutside its {@code after_any} references that name no entry
     */
    public record Step(JobSpec spec, List<Integer> after, List<Integer> afterAny, List<String> afterOutside,
                       List<String> afterAnyOutside) {
        public Step {
            after = List.copyOf(after);
            afterAny = List.copyOf(afterAny);
            afterOutside = List.copyOf(afterOutside);
            afterAnyOutside = List.copyOf(afterAnyOutside);
        }
    }

    public JobList {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a job list has at least one job");
        }
    }

    /** A file without a {@code jobs} list: one job whose references all name jobs outside the file. */
    public static JobList single(JobSpec spec) {
        return new JobList(List.of(new Step(spec, List.of(), List.of(), spec.after(), spec.afterAny())), false);
    }

    /** The job that comes first: it waits for no other entry of the list. */
    public JobSpec first() {
        return steps.get(0).spec();
    }

    public int size() {
        return steps.size();
    }
}
