package dev.dopq.server.service;

import java.util.Locale;
import java.util.regex.Pattern;

/** User names become labels, folder names and penalty keys: a safe, case-insensitive character set. */
public final class UserNames {
    private static final Pattern SAFE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

    private UserNames() {
    }

    public static boolean isValid(String name) {
        return name != null && SAFE.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }

    /** Lower-cased name, or IllegalArgumentException with a readable message. */
    public static String normalize(String name) {
        if (!isValid(name)) {
            throw new IllegalArgumentException("\"" + name + "\" is not a valid user name; use 1-32 of a-z, 0-9, _ and -,"
                    + " starting with a letter or digit");
        }
        return name.toLowerCase(Locale.ROOT);
    }
}
