package dev.dopq.client;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.time.Clock;

import picocli.CommandLine.Help.Ansi;

/** Entry point of the {@code dopq} console client. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Before anything can deserialize: returns, stubs and exceptions from the server pass this allow-list.
        Connection.installSerialFilter();
        Charset charset = System.console() != null ? System.console().charset() : Charset.defaultCharset();
        PrintWriter out = new PrintWriter(System.out, true, charset);
        PrintWriter err = new PrintWriter(System.err, true, charset);
        Cli cli = new Cli(new Connection(), Environment.system(), Clock.systemDefaultZone(), Repeater.scheduled(),
                System.console() != null);
        System.exit(cli.execute(out, err, Ansi.AUTO, args));
    }
}
