package dev.dopq.client;

import java.io.InvalidClassException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.file.NoSuchFileException;
import java.rmi.ConnectIOException;
import java.rmi.NotBoundException;
import java.rmi.RemoteException;
import java.util.function.Supplier;

import dev.dopq.api.ApiException;
import dev.dopq.api.ExitCodes;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every error into one line {@code dopq: <message>} on stderr and an exit code from {@link ExitCodes}:
 * the server's {@link ApiException}s carry theirs, command-line mistakes are usage errors, a server that cannot
 * be reached is {@link ExitCodes#UNREACHABLE}.
 */
final class Failures implements IExecutionExceptionHandler, IParameterExceptionHandler, IExitCodeExceptionMapper {

    /** What the user is told and the code the process exits with. */
    record Failure(int exitCode, String message) {
    }

    private final Supplier<ConnectionSettings> settings;

    Failures(Supplier<ConnectionSettings> settings) {
        this.settings = settings;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
        if (ex instanceof ParameterException pe) {
            return handleParseException(pe, new String[0]);
        }
        Failure failure = classify(ex, settings);
        commandLine.getErr().println("dopq: " + failure.message());
        commandLine.getErr().flush();
        return failure.exitCode();
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        String help = cmd.getCommandSpec().qualifiedName() + " --help";
        cmd.getErr().println("dopq: " + ex.getMessage() + " (see '" + help + "')");
        cmd.getErr().flush();
        return ExitCodes.USAGE;
    }

    @Override
    public int getExitCode(Throwable exception) {
        return exception instanceof ParameterException ? ExitCodes.USAGE : classify(exception, settings).exitCode();
    }

    static Failure classify(Throwable ex, Supplier<ConnectionSettings> settings) {
        if (ex instanceof ApiException api) {
            return new Failure(api.exitCode(), api.getMessage());
        }
        if (ex instanceof ParameterException) {
            return new Failure(ExitCodes.USAGE, ex.getMessage());
        }
        if (ex instanceof NotBoundException) {
            return new Failure(ExitCodes.UNREACHABLE, "no dopq server is registered at " + address(settings)
                    + " (something else answers on that port)");
        }
        if (ex instanceof RemoteException remote) {
            return remote(remote, settings);
        }
        if (ex instanceof NoSuchFileException file) {
            return new Failure(ExitCodes.NOT_FOUND, "no such file or folder: " + file.getFile());
        }
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        return new Failure(ExitCodes.OTHER, message);
    }

    private static Failure remote(RemoteException ex, Supplier<ConnectionSettings> settings) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (unreachable(t)) {
                return new Failure(ExitCodes.UNREACHABLE, "cannot reach the dopq server at " + address(settings)
                        + " (" + rootMessage(ex) + ")");
            }
            if (t instanceof InvalidClassException rejected) {
                return new Failure(ExitCodes.OTHER, "the server sent data this client refuses to read ("
                        + rejected.getMessage() + "); client and server versions may differ");
            }
        }
        return new Failure(ExitCodes.OTHER, "server error: " + rootMessage(ex));
    }

    private static boolean unreachable(Throwable t) {
        return t instanceof java.net.ConnectException || t instanceof java.rmi.ConnectException
                || t instanceof ConnectIOException || t instanceof java.net.UnknownHostException
                || t instanceof java.rmi.UnknownHostException || t instanceof NoRouteToHostException
                || t instanceof SocketTimeoutException;
    }

    private static String rootMessage(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (root instanceof SocketTimeoutException && message.toLowerCase(java.util.Locale.ROOT).startsWith("read")) {
            // a bounded lookup read (see Timeouts): something listens there but does not speak RMI to us
            return "it accepted the connection but did not answer in time";
        }
        return message.toLowerCase(java.util.Locale.ROOT).startsWith("connection refused") ? "connection refused"
                : message;
    }

    private static String address(Supplier<ConnectionSettings> settings) {
        try {
            return settings.get().address();
        } catch (RuntimeException e) {
            return "the configured address";
        }
    }
}
