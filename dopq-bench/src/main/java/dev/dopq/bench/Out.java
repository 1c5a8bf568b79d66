package dev.dopq.bench;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Where benchmark figures go: standard output is the product of a benchmark runner, not a log. */
public final class Out {
    private static final PrintStream OUT = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
            true, StandardCharsets.UTF_8);

    private Out() {
    }

    public static void line(String format, Object... args) {
        OUT.println(args.length == 0 ? format : String.format(java.util.Locale.ROOT, format, args));
    }
}
