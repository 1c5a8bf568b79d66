package dev.dopq.client;

import dev.dopq.api.DopqSession;
import dev.dopq.api.ExitCodes;
import dev.dopq.api.NotifySettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dopq notify show|set}: where you are told that your jobs ended. */
@Command(name = "notify", description = "Show or set where you are told that your jobs ended (webhook, e-mail).",
        subcommands = {NotifyCommands.Show.class, NotifyCommands.Set.class})
final class NotifyCommands implements java.util.concurrent.Callable<Integer> {
    private final Context ctx;

    @Spec
    CommandSpec spec;

    NotifyCommands(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(ctx.err());
        return ExitCodes.USAGE;
    }

    static void show(Context ctx, NotifySettings s, boolean json) {
        if (json) {
            Json.print(ctx.out(), s);
            return;
        }
        ctx.out().println("user:    " + s.user());
        ctx.out().println("webhook: " + (s.webhook() == null ? "-" : s.webhook()));
        ctx.out().println("e-mail:  " + (s.email() == null ? "-" : s.email()));
    }

    @Command(name = "show", description = "Show your notification settings.")
    static final class Show extends SessionCommand.Read {
        Show(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            show(ctx, session.notifySettings(), json);
            return ok();
        }
    }

    @Command(name = "set", description = "Set your webhook and/or e-mail address; an empty value (\"\") clears it.")
    static final class Set extends SessionCommand {
        @Option(names = "--webhook", paramLabel = "URL", description = "http(s) URL that gets a POST per finished job.")
        String webhook;

        @Option(names = "--email", paramLabel = "ADDRESS", description = "Address that gets an e-mail per finished job.")
        String email;

        Set(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            if (webhook == null && email == null) {
                throw usage("give --webhook URL and/or --email ADDRESS (\"\" clears one)");
            }
            show(ctx, session.setNotify(webhook, email), false);
            return ok();
        }
    }
}
