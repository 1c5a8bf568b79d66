package dev.dopq.container;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Orders the entries of a {@code jobs} list by their references to each other: {@code after} / {@code after_any}
 * naming another entry. Refuses a cycle, naming it in the order the jobs would have to run:
 * {@code cycle: a -> b -> a} (b waits for a, a waits for b).
 */
final class JobOrder {

    private JobOrder() {
    }

    /**
     * The entries (validated specs in the file's order, with distinct names) as a {@link JobList}.
     *
     * @throws SpecRejectedException when the references form a cycle
     */
    static JobList of(List<JobSpec> specs) {
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < specs.size(); i++) {
            byName.put(specs.get(i).name(), i);
        }
        List<List<Integer>> waitsFor = new ArrayList<>();
        for (JobSpec spec : specs) {
            List<Integer> deps = new ArrayList<>(inside(spec.after(), byName));
            inside(spec.afterAny(), byName).stream().filter(d -> !deps.contains(d)).forEach(deps::add);
            waitsFor.add(deps);
        }
        List<Integer> cycle = cycle(waitsFor);
        if (!cycle.isEmpty()) {
            throw new SpecRejectedException("jobs: cycle: " + String.join(" -> ",
                    cycle.stream().map(i -> specs.get(i).name()).toList()) + " (each job waits for the one before it)");
        }
        List<Integer> order = order(waitsFor);
        int[] place = new int[specs.size()];
        for (int p = 0; p < order.size(); p++) {
            place[order.get(p)] = p;
        }
        List<JobList.Step> steps = new ArrayList<>();
        for (int i : order) {
            JobSpec spec = specs.get(i);
            steps.add(new JobList.Step(spec, places(inside(spec.after(), byName), place),
                    places(inside(spec.afterAny(), byName), place), outside(spec.after(), byName),
                    outside(spec.afterAny(), byName)));
        }
        return new JobList(steps, true);
    }

    private static List<Integer> inside(List<String> refs, Map<String, Integer> byName) {
        return refs.stream().filter(byName::containsKey).map(byName::get).distinct().toList();
    }

    private static List<String> outside(List<String> refs, Map<String, Integer> byName) {
        return refs.stream().filter(r -> !byName.containsKey(r)).toList();
    }

    private static List<Integer> places(List<Integer> entries, int[] place) {
        return entries.stream().map(e -> place[e]).sorted().toList();
    }

    /**
     * A cycle as entry indexes in running order, first entry repeated at the end ({@code [0, 1, 0]}); empty when
     * there is none. Searched from the entries in file order, so the same file always names the same cycle.
     */
    static List<Integer> cycle(List<List<Integer>> waitsFor) {
        int n = waitsFor.size();
        List<List<Integer>> runsBefore = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            runsBefore.add(new ArrayList<>());
        }
        for (int job = 0; job < n; job++) {
            for (int dep : waitsFor.get(job)) {
                runsBefore.get(dep).add(job);
            }
        }
        runsBefore.forEach(l -> l.sort(null));
        int[] mark = new int[n]; // 0 new, 1 on the current path, 2 done
        for (int start = 0; start < n; start++) {
            List<Integer> path = new ArrayList<>();
            List<Integer> found = mark[start] == 0 ? search(start, runsBefore, mark, path) : List.of();
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<Integer> search(int at, List<List<Integer>> next, int[] mark, List<Integer> path) {
        mark[at] = 1;
        path.add(at);
        for (int to : next.get(at)) {
            if (mark[to] == 1) {
                List<Integer> cycle = new ArrayList<>(path.subList(path.indexOf(to), path.size()));
                cycle.add(to);
                return cycle;
            }
            if (mark[to] == 0) {
                List<Integer> found = search(to, next, mark, path);
                if (!found.isEmpty()) {
                    return found;
                }
            }
        }
        path.remove(path.size() - 1);
        mark[at] = 2;
        return List.of();
    }

    /** Every entry after those it waits for; of the entries free to go next, the one earliest in the file. */
    private static List<Integer> order(List<List<Integer>> waitsFor) {
        int n = waitsFor.size();
        int[] waiting = new int[n];
        List<List<Integer>> dependants = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            dependants.add(new ArrayList<>());
        }
        for (int job = 0; job < n; job++) {
            waiting[job] = waitsFor.get(job).size();
            for (int dep : waitsFor.get(job)) {
                dependants.get(dep).add(job);
            }
        }
        PriorityQueue<Integer> free = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            if (waiting[i] == 0) {
                free.add(i);
            }
        }
        List<Integer> order = new ArrayList<>();
        while (!free.isEmpty()) {
            int job = free.poll();
            order.add(job);
            for (int d : dependants.get(job)) {
                if (--waiting[d] == 0) {
                    free.add(d);
                }
            }
        }
        return order;
    }
}
