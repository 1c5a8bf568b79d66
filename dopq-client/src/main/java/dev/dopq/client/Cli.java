package dev.dopq.client;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.time.Clock;

import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;

/**
 * Wires the commands to their surroundings. {@link Main} passes the real ones; tests pass a fake session
 * factory, a fixed clock and string writers.
 */
public final class Cli {
    private final SessionFactory sessions;
    private final Environment env;
    private final Clock clock;
    private final Repeater repeater;
    private final boolean interactive;
    private java.util.function.Supplier<java.io.BufferedReader> in = StandardInput::reader;

    /**
     * @param interactive true when stdin and stdout are a terminal ({@code top} then runs live)
     */
    public Cli(SessionFactory sessions, Environment env, Clock clock, Repeater repeater, boolean interactive) {
        this.sessions = sessions;
        this.env = env;
        this.clock = clock;
        this.repeater = repeater;
        this.interactive = interactive;
    }

    /** Reads confirmations from {@code input} instead of the standard input. */
    public Cli input(java.io.BufferedReader input) {
        this.in = () -> input;
        return this;
    }

    /** The standard input, opened once when a command first asks for it. */
    private static final class StandardInput {
        private static final java.io.BufferedReader READER = new java.io.BufferedReader(
                new java.io.InputStreamReader(System.in, java.nio.charset.Charset.defaultCharset()));

        static java.io.BufferedReader reader() {
            return READER;
        }
    }

    /** Runs one command line and returns the exit code; all output goes to {@code out} and {@code err}. */
    public int execute(PrintWriter out, PrintWriter err, Ansi ansi, String... args) {
        DopqCommand root = new DopqCommand(env);
        Context ctx = new Context(sessions, root::settings, clock, out, err, ansi, interactive, repeater, in);
        Failures failures = new Failures(root::settings);
        CommandLine cli = new CommandLine(root, new ContextFactory(ctx))
                .setOut(out)
                .setErr(err)
                .setColorScheme(CommandLine.Help.defaultColorScheme(ansi))
                .setExecutionExceptionHandler(failures)
                .setParameterExceptionHandler(failures)
                .setExitCodeExceptionMapper(failures);
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Creates commands with the {@link Context} when they take one, else as picocli would. */
    private record ContextFactory(Context ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == DopqCommand.class) {
                throw new IllegalStateException("the root command is created by Cli");
            }
            try {
                Constructor<K> constructor = type.getDeclaredConstructor(Context.class);
                return constructor.newInstance(ctx);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
