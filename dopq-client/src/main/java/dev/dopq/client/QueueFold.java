package dev.dopq.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.dopq.api.JobView;
import dev.dopq.api.QueueEntry;

/** Folds the waiting jobs of a job array into one line of {@code dopq queue}. */
final class QueueFold {
    private QueueFold() {
    }

    /**
     * One line of the queue table.
     *
     * @param first the first entry of the line (its position and fields are shown)
     * @param id    the job id, or for a folded array the array's id
     * @param name  the job name, or for a folded array {@code name[0-3,7] (5 waiting)}
     */
    record Line(QueueEntry first, String id, String name) {
    }

    static List<Line> lines(List<QueueEntry> entries, boolean expand) {
        Map<String, List<QueueEntry>> groups = new LinkedHashMap<>();
        int single = 0;
        for (QueueEntry entry : entries) {
            String arrayId = entry.job().arrayId();
            String key = expand || arrayId == null ? "job " + (single++) : "array " + arrayId;
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(entry);
        }
        List<Line> lines = new ArrayList<>();
        for (List<QueueEntry> group : groups.values()) {
            JobView job = group.get(0).job();
            if (group.size() == 1) {
                lines.add(new Line(group.get(0), job.id(), job.name()));
            } else {
                lines.add(new Line(group.get(0), job.arrayId(), baseName(job.name()) + "[" + ranges(group) + "] ("
                        + group.size() + " waiting)"));
            }
        }
        return lines;
    }

    /** "sweep[3]" -> "sweep". */
    static String baseName(String name) {
        int bracket = name.lastIndexOf('[');
        return bracket > 0 && name.endsWith("]") ? name.substring(0, bracket) : name;
    }

    /** The indexes as "0-3,7,9-10". */
    static String ranges(List<QueueEntry> group) {
        List<Integer> indexes = group.stream().map(e -> e.job().arrayIndex()).filter(i -> i != null).sorted()
                .toList();
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < indexes.size()) {
            int j = i;
            while (j + 1 < indexes.size() && indexes.get(j + 1) == indexes.get(j) + 1) {
                j++;
            }
            out.append(out.length() == 0 ? "" : ",").append(indexes.get(i));
            if (j > i) {
                out.append('-').append(indexes.get(j));
            }
            i = j + 1;
        }
        return out.toString();
    }
}
