package dev.dopq.client;

import java.util.concurrent.Callable;

import dev.dopq.api.DopqSession;
import dev.dopq.api.ExitCodes;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A command that talks to the server: opens the session, then runs. Errors go to {@link Failures}. */
abstract class SessionCommand implements Callable<Integer> {
    protected final Context ctx;

    @Spec
    protected CommandSpec spec;

    SessionCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public final Integer call() throws Exception {
        validate();
        return run(ctx.session());
    }

    /** Checks arguments before the server is contacted; throws {@link ParameterException}. */
    void validate() {
    }

    abstract int run(DopqSession session) throws Exception;

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    static int ok() {
        return ExitCodes.OK;
    }

    /** A command that prints something: a table by default, JSON with {@code --json}. */
    abstract static class Read extends SessionCommand {
        @Option(names = "--json", description = "Print JSON for scripts instead of a table.")
        boolean json;

        Read(Context ctx) {
            super(ctx);
        }

        Tables tables() {
            return new Tables(ctx.time());
        }

        /** Prints the table, or {@code empty} when it has no rows. */
        void print(Table table, String empty) {
            if (table.isEmpty()) {
                ctx.out().println(empty);
            } else {
                ctx.out().print(table.render(ctx.ansi()));
            }
        }
    }
}
