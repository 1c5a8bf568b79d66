package dev.dopq.server.rmi;

/** Who makes a call: an authenticated user (maybe an admin) or an anonymous reader. */
public record Caller(String name, boolean admin, boolean anonymous) {
    public static final Caller ANONYMOUS = new Caller("anonymous", false, true);
    /** The server itself (shutdown hooks, tests). */
    public static final Caller SYSTEM = new Caller("system", true, false);

    public boolean owns(String user) {
        return !anonymous && name.equals(user);
    }
}
