package dev.dopq.container;

import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for misspelt names: the known name a wrong one was probably meant to be ({@code num_gpu} ->
 * {@code num_gpus}, {@code [dockr]} -> {@code [docker]}). Used for container_config.json keys and for the
 * server's config.ini sections, keys and environment variables, so both answer typos by the same rule.
 */
public final class KeySuggestion {

    private KeySuggestion() {
    }

    /**
     * The known name closest to {@code wrong} (ignoring case), if it is close enough to be a likely typo: at most
     * one edit per three characters of {@code wrong}, at least one and at most three, so that short unrelated
     * words are not "corrected". Of equally close names the alphabetically first is chosen, so the answer does
     * not depend on the iteration order of {@code known}.
     */
    public static Optional<String> closest(String wrong, Iterable<String> known) {
        String typed = wrong.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(typed, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance || d == bestDistance && candidate.compareTo(best) < 0) {
                best = candidate;
                bestDistance = d;
            }
        }
        int allowed = Math.max(1, Math.min(3, typed.length() / 3));
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein edit distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
