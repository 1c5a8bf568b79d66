package dev.dopq.client;

import java.time.Duration;

import dev.dopq.api.DopqSession;
import dev.dopq.api.LogChunk;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dopq logs ID [--follow] [--tail N]}: prints a job's output log, optionally as it grows. */
@Command(name = "logs", description = "Print a job's output log (your own jobs; admins any).")
final class LogsCommand extends SessionCommand {
    /** How often a followed log is asked for more; the API offers no push. */
    static final Duration FOLLOW_PAUSE = Duration.ofSeconds(1);
    private static final int CHUNK_BYTES = 256 * 1024;

    @Parameters(paramLabel = "ID", description = "The job id.")
    String id;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the job ends.")
    boolean follow;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", description = "Start with the last N lines only.")
    Integer tail;

    private long offset;

    LogsCommand(Context ctx) {
        super(ctx);
    }

    @Override
    void validate() {
        if (tail != null && tail < 1) {
            throw usage("--tail must be at least 1, not " + tail);
        }
    }

    @Override
    int run(DopqSession session) throws Exception {
        offset = tail != null ? -tail : 0;
        if (follow) {
            ctx.repeater().repeat(FOLLOW_PAUSE, () -> !readAvailable(session).complete());
        } else {
            readAvailable(session);
        }
        return ok();
    }

    /** Prints everything written so far; returns the last chunk read (empty unless the log grew meanwhile). */
    private LogChunk readAvailable(DopqSession session) throws Exception {
        LogChunk chunk;
        boolean progressed;
        do {
            chunk = session.logs(id, offset, CHUNK_BYTES);
            ctx.out().print(chunk.text());
            ctx.out().flush();
            progressed = chunk.offset() != offset;
            offset = chunk.offset();
        } while (progressed && !chunk.text().isEmpty());
        return chunk;
    }
}
