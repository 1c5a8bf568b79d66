package dev.dopq.client;

import dev.dopq.api.DopqSession;
import dev.dopq.api.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dopq user add|remove|list|token}: user and token management. */
@Command(name = "user", description = "Manage users and tokens (admins; 'user token' also for yourself).",
        subcommands = {UserCommands.Add.class, UserCommands.Remove.class, UserCommands.ListUsers.class,
                UserCommands.Token.class, UserCommands.Admin.class})
final class UserCommands implements java.util.concurrent.Callable<Integer> {
    private final Context ctx;

    @Spec
    CommandSpec spec;

    UserCommands(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(ctx.err());
        return ExitCodes.USAGE;
    }

    @Command(name = "add", description = "Add a user and print its token (shown only this once).")
    static final class Add extends SessionCommand {
        @Parameters(paramLabel = "NAME", description = "User name (letters, digits, '-', '_').")
        String name;

        @Option(names = "--admin", description = "Make the user an admin.")
        boolean admin;

        Add(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            String token = session.addUser(name, admin);
            // The token alone on stdout, so `dopq user add ana > ana.token` captures just it.
            ctx.out().println(token);
            ctx.err().println("user " + name + " added" + (admin ? " as admin" : "")
                    + "; give them the token above (it is not shown again), e.g. in ~/.dopq/token");
            return ok();
        }
    }

    @Command(name = "remove", description = {"Remove a user; their finished jobs stay in the history.",
            "Their unfinished jobs are cancelled (--cancel-jobs, the default) or left to run (--keep-jobs)."})
    static final class Remove extends SessionCommand {
        @Parameters(paramLabel = "NAME", description = "User name.")
        String name;

        @Option(names = "--keep-jobs", description = "Leave the user's queued and running jobs to run.")
        boolean keepJobs;

        @Option(names = "--cancel-jobs", description = "Cancel the user's queued jobs and stop running ones "
                + "(the default).")
        boolean cancelJobs;

        Remove(Context ctx) {
            super(ctx);
        }

        @Override
        void validate() {
            if (keepJobs && cancelJobs) {
                throw usage("--keep-jobs and --cancel-jobs cannot be used together");
            }
        }

        @Override
        int run(DopqSession session) throws Exception {
            int cancelled = session.removeUser(name, !keepJobs);
            ctx.out().println("user " + name + " removed; " + (keepJobs ? "their unfinished jobs stay"
                    : cancelled + (cancelled == 1 ? " unfinished job" : " unfinished jobs") + " cancelled"));
            return ok();
        }
    }

    @Command(name = "list", description = "List every known user.")
    static final class ListUsers extends SessionCommand.Read {
        ListUsers(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            var users = session.listUsers();
            if (json) {
                Json.print(ctx.out(), users);
            } else {
                print(tables().userList(users), "no users");
            }
            return ok();
        }
    }

    @Command(name = "token", description = "Replace a user's token and print the new one; the old one stops working.")
    static final class Token extends SessionCommand {
        @Parameters(paramLabel = "NAME", description = "User name.")
        String name;

        Token(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            ctx.out().println(session.newToken(name));
            ctx.err().println("new token for " + name + " (not shown again); the old one no longer works");
            return ok();
        }
    }

    @Command(name = "admin", description = {"Give a user the admin right, or take it away with --revoke.",
            "Taking it away ends the user's sessions; admins named in config.ini keep theirs."})
    static final class Admin extends SessionCommand {
        @Parameters(paramLabel = "NAME", description = "User name.")
        String name;

        @Option(names = "--revoke", description = "Take the admin right away.")
        boolean revoke;

        Admin(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            session.setAdmin(name, !revoke);
            ctx.out().println(revoke ? "user " + name + " is no longer an admin; their sessions ended"
                    : "user " + name + " is an admin now");
            return ok();
        }
    }
}
