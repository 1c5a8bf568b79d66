package dev.dopq.client;

import java.util.concurrent.Callable;

import dev.dopq.api.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code dopq} root command: connection options valid before or after any subcommand. */
@Command(name = "dopq", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        version = "dopq client 0.1.0",
        description = "Console client of the dopq Docker priority queue for shared GPU machines.",
        footer = {"", "Token: --token, else $DOPQ_TOKEN, else the first line of ~/.dopq/token;",
                "without one the session is anonymous (read-only, when the server allows it).",
                "Exit codes: 0 ok, 1 error, 2 usage, 3 not found, 4 permission denied,",
                "5 server unreachable, 6 conflict with the job's state."},
        subcommands = {ReadCommands.Status.class, ReadCommands.Queue.class, ReadCommands.Running.class,
                ReadCommands.History.class, ReadCommands.Users.class, ReadCommands.Job.class, LogsCommand.class,
                SubmitCommand.class, JobCommands.Delete.class, JobCommands.Cancel.class, ReadCommands.Gpus.class, ReadCommands.Nodes.class,
                AdminCommands.Lock.class, AdminCommands.Unlock.class, AdminCommands.Shutdown.class,
                AdminCommands.ClearHistory.class, UserCommands.class, NotifyCommands.class, ReadCommands.Whoami.class,
                TopCommand.class, QuotaCommand.class, WaitCommand.class})
final class DopqCommand implements Callable<Integer> {
    private final Environment env;

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", scope = ScopeType.INHERIT,
            description = "Server host (default $DOPQ_HOST or " + ConnectionSettings.DEFAULT_HOST + ").")
    String host;

    @Option(names = "--port", paramLabel = "PORT", scope = ScopeType.INHERIT,
            description = "Server registry port (default $DOPQ_PORT or " + ConnectionSettings.DEFAULT_PORT + ").")
    Integer port;

    @Option(names = "--token", paramLabel = "NAME.SECRET", scope = ScopeType.INHERIT,
            description = "Your token (visible to other local users in the process list: prefer "
                    + "$DOPQ_TOKEN or ~/.dopq/token).")
    String token;

    @Option(names = "--tls", scope = ScopeType.INHERIT,
            description = "Use TLS with host name verification (or DOPQ_TLS=1); trust store from "
                    + "-Djavax.net.ssl.trustStore.")
    boolean tls;

    DopqCommand(Environment env) {
        this.env = env;
    }

    ConnectionSettings settings() {
        if (port != null && (port < 1 || port > 65535)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--port must be 1-65535");
        }
        return ConnectionSettings.resolve(spec, env, host, port, token, tls);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
