package dev.dopq.client;

import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import dev.dopq.api.DopqSession;
import dev.dopq.api.JobView;
import dev.dopq.api.QueuePage;
import dev.dopq.api.QueueQuery;
import dev.dopq.api.SystemStatus;
import dev.dopq.api.UserStats;
import picocli.CommandLine.Help.Ansi;

/** One frame of {@code dopq top}: a header line, GPUs, running jobs, the head of the queue and users. */
final class TopScreen {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private final Context ctx;

    /** Queued jobs a frame asks for: more than a terminal shows, and a small answer with a long queue. */
    static final int QUEUE_HEAD = 50;

    /** What one frame shows, fetched in one go. */
    record Snapshot(SystemStatus status, List<JobView> running, QueuePage queue, List<UserStats> users) {
        static Snapshot fetch(DopqSession session) throws Exception {
            return new Snapshot(session.status(), session.running(), session.queue(QueueQuery.head(QUEUE_HEAD)),
                    session.users());
        }
    }

    TopScreen(Context ctx) {
        this.ctx = ctx;
    }

    /** The frame's lines, at most {@code height} of them (0 for no limit). */
    List<String> render(Snapshot snapshot, int height, boolean showKeys) {
        Ansi ansi = ctx.ansi();
        Tables tables = new Tables(ctx.time());
        SystemStatus status = snapshot.status();
        List<String> lines = new ArrayList<>();
        lines.add(ansi.string("@|bold dopq|@ " + ctx.settings().address() + "  "
                + CLOCK.format(ctx.clock().instant().atZone(ctx.clock().getZone()))
                + "  queue " + (status.locked() ? "@|red,bold LOCKED|@" : "open")
                + "  " + status.running() + " running, " + status.queued() + " queued, "
                + status.building() + " building"
                + "  cpu " + Units.fraction(status.cpuLoad())
                + (showKeys ? "  (q quits)" : "")));
        if (status.intake() != null) {
            lines.add(ansi.string("@|yellow intake: " + status.intake() + "|@"));
        }
        section(lines, "GPUs", tables.gpus(status.gpus()), "no GPUs");
        section(lines, "Running", tables.running(snapshot.running()), "no jobs are running");
        section(lines, "Queue", tables.queue(snapshot.queue().jobs()), "queue is empty");
        if (snapshot.queue().remaining() > 0) {
            lines.add("... " + snapshot.queue().remaining() + " more queued");
        }
        section(lines, "Users", tables.users(snapshot.users()), "no users have jobs yet");
        return height > 0 && lines.size() > height ? lines.subList(0, height) : lines;
    }

    private void section(List<String> lines, String title, Table table, String empty) {
        lines.add("");
        lines.add(ctx.ansi().string("@|bold,underline " + title + "|@"));
        if (table.isEmpty()) {
            lines.add(empty);
        } else {
            lines.addAll(table.lines(ctx.ansi()));
        }
    }
}
