package dev.dopq.server.backend.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads sinfo's gres strings: {@code gpu:2}, {@code gpu:a100:4(S:0-1)}, {@code gpu:2(IDX:0-1)}. */
final class Gres {
    private static final Pattern GPU = Pattern.compile("gpu(?::[A-Za-z][^:(,]*)?:(\\d+)");
    private static final Pattern IDX = Pattern.compile("gpu[^(,]*\\(IDX:([0-9,\\-]+)\\)");

    private Gres() {
    }

    /** GPUs in a gres string, 0 when it names none. */
    static int count(String gres) {
        int total = 0;
        Matcher m = GPU.matcher(gres == null ? "" : gres);
        while (m.find()) {
            total += Integer.parseInt(m.group(1));
        }
        return total;
    }

    /** The node-local indices listed as {@code IDX:...} in a gres-used string. */
    static List<Integer> indices(String gresUsed) {
        List<Integer> out = new ArrayList<>();
        Matcher m = IDX.matcher(gresUsed == null ? "" : gresUsed);
        while (m.find()) {
            for (String part : m.group(1).split(",")) {
                if (part.isEmpty()) {
                    continue;
                }
                String[] range = part.split("-");
                int from = Integer.parseInt(range[0]);
                int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                for (int i = from; i <= to; i++) {
                    out.add(i);
                }
            }
        }
        return out;
    }
}
