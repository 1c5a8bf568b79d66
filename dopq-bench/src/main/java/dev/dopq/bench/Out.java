package dev.dopq.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Where benchmark figures go: standard output is the product of a benchmark runner, not a log. */
public final class Out {
    private static PrintStream target;
    private static PrintStream utf8;

    private Out() {
    }

    public static synchronized void line(String format, Object... args) {
        // Wraps whatever System.out is now: under Surefire/Failsafe it is the test's captured stream, and bytes
        // written to the process's own stdout would corrupt the channel the forked test JVM reports through.
        if (System.out != target) {
            target = System.out;
            utf8 = new PrintStream(target, true, StandardCharsets.UTF_8);
        }
        utf8.println(args.length == 0 ? format : String.format(Locale.ROOT, format, args));
    }
}
