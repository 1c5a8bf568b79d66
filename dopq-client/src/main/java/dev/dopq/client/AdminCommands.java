package dev.dopq.client;

import java.time.Instant;

import dev.dopq.api.DopqSession;
import dev.dopq.api.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Admin-only commands: lock, unlock, shutdown, clear-history. */
final class AdminCommands {
    private AdminCommands() {
    }

    @Command(name = "lock", description = "Stop starting new jobs (maintenance); running jobs go on. Admin only.")
    static final class Lock extends SessionCommand {
        Lock(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            session.lock();
            ctx.out().println("queue locked: running jobs go on, no new job starts until 'dopq unlock'");
            return ok();
        }
    }

    @Command(name = "unlock", description = "Start jobs again after 'lock'. Admin only.")
    static final class Unlock extends SessionCommand {
        Unlock(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            session.unlock();
            ctx.out().println("queue unlocked");
            return ok();
        }
    }

    @Command(name = "shutdown", description = "Stop the server. Running containers are left to be re-adopted on "
            + "the next start unless --stop-running. Admin only.")
    static final class Shutdown extends SessionCommand {
        @Option(names = "--stop-running", description = "Also stop running jobs (they end cancelled).")
        boolean stopRunning;

        Shutdown(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            session.shutdown(stopRunning);
            ctx.out().println(stopRunning ? "server shutting down; running jobs are being stopped"
                    : "server shutting down; running jobs go on and are re-adopted on the next start");
            return ok();
        }
    }

    @Command(name = "clear-history", description = "Remove finished jobs from the history. Admin only.")
    static final class ClearHistory extends SessionCommand {
        @Option(names = "--before", paramLabel = "DATE",
                description = "Only jobs finished before DATE (2024-05-01, 2024-05-01T10:00, ISO instant, or an "
                        + "age such as 30d); all finished jobs without it.")
        String before;

        @Option(names = "--all", description = "Remove every finished job without asking (needed when not on a "
                + "terminal).")
        boolean all;

        private Instant beforeInstant;

        ClearHistory(Context ctx) {
            super(ctx);
        }

        @Override
        void validate() {
            if (all && before != null) {
                throw usage("--all and --before cannot be used together");
            }
            beforeInstant = before == null ? null : Dates.parse(spec, "--before", before, ctx.clock());
            if (before == null && !all && !ctx.interactive()) {
                throw usage("clear-history without --before removes every finished job; add --all to confirm");
            }
        }

        @Override
        int run(DopqSession session) throws Exception {
            if (before == null && !all && !confirmed()) {
                ctx.err().println("dopq: nothing removed");
                return ExitCodes.OTHER;
            }
            int removed = session.clearHistory(beforeInstant);
            ctx.out().println("removed " + removed + (removed == 1 ? " job" : " jobs") + " from the history");
            return ok();
        }

        private boolean confirmed() throws java.io.IOException {
            ctx.out().print("remove every finished job from the history? type yes to confirm: ");
            ctx.out().flush();
            String answer = ctx.in().readLine();
            return answer != null && answer.strip().equalsIgnoreCase("yes");
        }
    }
}
