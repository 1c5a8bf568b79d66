package dev.dopq.client;

import java.io.PrintWriter;
import java.rmi.NotBoundException;
import java.rmi.RemoteException;
import java.time.Clock;
import java.util.function.Supplier;

import dev.dopq.api.ApiException;
import dev.dopq.api.DopqSession;
import picocli.CommandLine.Help.Ansi;

/**
 * What every command needs from the outside world, handed in by {@link Cli} so commands run against fakes in
 * tests. The session is opened on first use and reused for the rest of the run.
 */
final class Context {
    private final SessionFactory sessions;
    private final Supplier<ConnectionSettings> settings;
    private final Clock clock;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Ansi ansi;
    private final boolean interactive;
    private final Repeater repeater;
    private final Supplier<java.io.BufferedReader> in;
    private DopqSession session;

    Context(SessionFactory sessions, Supplier<ConnectionSettings> settings, Clock clock, PrintWriter out,
            PrintWriter err, Ansi ansi, boolean interactive, Repeater repeater, Supplier<java.io.BufferedReader> in) {
        this.in = in;
        this.sessions = sessions;
        this.settings = settings;
        this.clock = clock;
        this.out = out;
        this.err = err;
        this.ansi = ansi;
        this.interactive = interactive;
        this.repeater = repeater;
    }

    DopqSession session() throws RemoteException, NotBoundException, ApiException {
        if (session == null) {
            session = sessions.open(settings.get());
        }
        return session;
    }

    /** Drops the session so the next {@link #session()} logs in again (after the server restarted). */
    void forgetSession() {
        session = null;
    }

    ConnectionSettings settings() {
        return settings.get();
    }

    Clock clock() {
        return clock;
    }

    HumanTime time() {
        return new HumanTime(clock);
    }

    PrintWriter out() {
        return out;
    }

    PrintWriter err() {
        return err;
    }

    Ansi ansi() {
        return ansi;
    }

    /** True when a person sits at a terminal (stdin and stdout are a tty). */
    boolean interactive() {
        return interactive;
    }

    Repeater repeater() {
        return repeater;
    }

    /** What the person at the terminal types (confirmations). */
    java.io.BufferedReader in() {
        return in.get();
    }
}
