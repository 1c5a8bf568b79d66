package dev.dopq.client;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

import dev.dopq.api.DopqSession;
import picocli.CommandLine.Command;

/**
 * {@code dopq top}: a live view refreshed every two seconds in the terminal's alternate screen; {@code q} quits.
 * Without a terminal (piped, cron, tests) it prints one frame and exits.
 */
@Command(name = "top", description = "Live view of GPUs, running jobs, queue and users; press q to quit.")
final class TopCommand extends SessionCommand {
    private static final long REFRESH_MILLIS = 2000;
    private static final String HOME = "\u001B[H";
    private static final String CLEAR_LINE_END = "\u001B[K";
    private static final String CLEAR_SCREEN_END = "\u001B[J";

    TopCommand(Context ctx) {
        super(ctx);
    }

    @Override
    int run(DopqSession session) throws Exception {
        TopScreen screen = new TopScreen(ctx);
        if (!ctx.interactive()) {
            screen.render(TopScreen.Snapshot.fetch(session), 0, false).forEach(ctx.out()::println);
            return ok();
        }
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            live(terminal, screen);
        }
        return ok();
    }

    private void live(Terminal terminal, TopScreen screen) throws IOException {
        Attributes saved = terminal.enterRawMode();
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.cursor_invisible);
        try {
            NonBlockingReader keys = terminal.reader();
            int key;
            do {
                draw(terminal, frame(screen, terminal.getSize().getRows() - 1));
                // The read's timeout is the refresh interval: a key press redraws at once or quits.
                key = keys.read(REFRESH_MILLIS);
            } while (key != 'q' && key != 'Q' && key != NonBlockingReader.EOF && key != 3);
        } finally {
            terminal.puts(Capability.cursor_visible);
            terminal.puts(Capability.exit_ca_mode);
            terminal.setAttributes(saved);
            terminal.flush();
        }
    }

    private List<String> frame(TopScreen screen, int height) {
        try {
            return screen.render(TopScreen.Snapshot.fetch(ctx.session()), height, true);
        } catch (Exception e) {
            // A failed refresh is shown, not fatal: the server may be restarting, and the next refresh
            // logs in again because a restarted server no longer knows the old session object.
            ctx.forgetSession();
            return List.of("dopq: " + Failures.classify(e, ctx::settings).message(), "(retrying; q quits)");
        }
    }

    private static void draw(Terminal terminal, List<String> lines) {
        PrintWriter writer = terminal.writer();
        StringBuilder frame = new StringBuilder(HOME);
        for (String line : lines) {
            frame.append(line).append(CLEAR_LINE_END).append("\r\n");
        }
        frame.append(CLEAR_SCREEN_END);
        writer.print(frame);
        writer.flush();
    }
}
