package dev.dopq.container;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A numeric {@code uid:gid} a container runs as. Given as numbers the engine looks nothing up in the image's
 * {@code /etc/passwd} or {@code /etc/group} (an image could name any user "nobody" with uid 0 there), and with an
 * explicit gid it adds no supplementary groups from the image either.
 *
 * @param uid user id
 * @param gid primary group id
 */
public record ContainerUser(long uid, long gid) {
    private static final Pattern NUMERIC = Pattern.compile("(\\d{1,10})(?::(\\d{1,10}))?");
    /** The highest id the kernel takes (ids are 32 bit; -1 means "no change"). */
    private static final long MAX_ID = 4_294_967_294L;

    /** Validates the ranges. */
    public ContainerUser {
        if (uid < 0 || gid < 0 || uid > MAX_ID || gid > MAX_ID) {
            throw new IllegalArgumentException("uid and gid must be between 0 and " + MAX_ID);
        }
    }

    /** Whether this is root's user or root's group, which on the host is root's. */
    public boolean root() {
        return uid == 0 || gid == 0;
    }

    /**
     * Reads {@code uid[:gid]}; without a gid the group is {@code defaultGid}. Null when the text is not numeric
     * (a name, or a number out of range).
     */
    public static ContainerUser parse(String text, long defaultGid) {
        if (text == null) {
            return null;
        }
        Matcher m = NUMERIC.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        long uid = Long.parseLong(m.group(1));
        long gid = m.group(2) == null ? defaultGid : Long.parseLong(m.group(2));
        if (uid > MAX_ID || gid > MAX_ID) {
            return null;
        }
        return new ContainerUser(uid, gid);
    }

    /** Whether a {@code run_params.user} names root ("root", "0", "0:...", "...:0", "...:root"). */
    public static boolean namesRoot(String text) {
        if (text == null) {
            return false;
        }
        for (String part : text.strip().split(":", -1)) {
            if (part.equals("root") || part.matches("0+")) {
                return true;
            }
        }
        return false;
    }

    /** As the engine takes it: {@code uid:gid}. */
    @Override
    public String toString() {
        return uid + ":" + gid;
    }
}
