package dev.dopq.container;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The indexes of a job array, as written in {@code "array"} or {@code dopq submit --array}: comma separated items,
 * each {@code N}, {@code A-B} or {@code A-B:STEP} ({@code "0-19"}, {@code "0-19:2"}, {@code "1,4,9"}).
 */
public final class ArrayIndexes {
    /** Most jobs one array may make. */
    public static final int MAX_JOBS = 1000;
    /** Largest index. */
    public static final int MAX_INDEX = 1_000_000;
    private static final Pattern ITEM = Pattern.compile("(\\d{1,7})(?:-(\\d{1,7})(?::(\\d{1,7}))?)?");

    private ArrayIndexes() {
    }

    /**
     * The indexes in ascending order, each once.
     *
     * @throws IllegalArgumentException with a one-line reason when the text is not such a list
     */
    public static List<Integer> parse(String text) {
        TreeSet<Integer> out = new TreeSet<>();
        String t = text == null ? "" : text.replace(" ", "");
        if (t.isEmpty()) {
            throw new IllegalArgumentException("array is empty; write indexes like \"0-19\", \"0-19:2\" or \"1,4,9\"");
        }
        for (String item : t.split(",", -1)) {
            Matcher m = ITEM.matcher(item);
            if (!m.matches()) {
                throw new IllegalArgumentException("array item \"" + item + "\" is not N, A-B or A-B:STEP; write"
                        + " indexes like \"0-19\", \"0-19:2\" or \"1,4,9\"");
            }
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            int step = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
            if (to < from || step < 1 || to > MAX_INDEX) {
                throw new IllegalArgumentException("array item \"" + item + "\" must go up from A to B (at most "
                        + MAX_INDEX + ") in steps of 1 or more");
            }
            for (long i = from; i <= to; i += step) {
                out.add((int) i);
                if (out.size() > MAX_JOBS) {
                    throw new IllegalArgumentException("array \"" + text + "\" makes more than " + MAX_JOBS
                            + " jobs");
                }
            }
        }
        return new ArrayList<>(out);
    }
}
