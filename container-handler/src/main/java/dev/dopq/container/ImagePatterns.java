package dev.dopq.container;

import java.util.List;

/**
 * Glob patterns for image references, as the admin lists them in {@code [docker] allowed_images}: {@code *} stands
 * for any run of characters (also {@code /} and {@code :}), {@code ?} for one character, everything else for itself.
 * A reference without a tag or digest is also tried with {@code :latest}, which is what the engine runs.
 * Matching takes time linear in pattern times reference (no backtracking blow-up).
 */
public final class ImagePatterns {

    private ImagePatterns() {
    }

    /** Whether {@code image} matches any of {@code patterns}. */
    public static boolean matchesAny(List<String> patterns, String image) {
        if (image == null || image.isEmpty()) {
            return false;
        }
        String tagged = withDefaultTag(image);
        for (String p : patterns) {
            if (matches(p, image) || matches(p, tagged)) {
                return true;
            }
        }
        return false;
    }

    /** {@code name} with {@code :latest} when it names neither a tag nor a digest. */
    static String withDefaultTag(String image) {
        int slash = image.lastIndexOf('/');
        String last = image.substring(slash + 1);
        return last.contains(":") || image.contains("@") ? image : image + ":latest";
    }

    /**
     * Whether {@code text} matches the glob {@code pattern}: the classic two-pointer match that remembers only the
     * last {@code *}, which is enough because a later star can cover anything an earlier one would.
     */
    static boolean matches(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
