package dev.dopq.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.dopq.api.DopqSession;
import dev.dopq.api.ExitCodes;
import dev.dopq.api.JobView;
import dev.dopq.api.LogChunk;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dopq logs ID [--follow] [--tail N] [--json]}: prints a job's output log, optionally as it grows. With
 * {@code --json} the text comes in JSON objects: one for what was read, or with {@code --follow} one line per
 * piece of new output (JSON Lines), so a script can read the stream as it comes.
 */
@Command(name = "logs", description = "Print a job's output log (your own jobs; admins any).")
final class LogsCommand extends SessionCommand {
    /** How often a followed log is asked for more; the API offers no push. */
    static final Duration FOLLOW_PAUSE = Duration.ofSeconds(1);
    private static final int CHUNK_BYTES = 256 * 1024;

    @Parameters(paramLabel = "ID", description = "The job id.")
    String id;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until the job ends.")
    boolean follow;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", description = "Start with the last N lines only; "
            + "0 with --follow prints only new output.")
    Integer tail;

    @Option(names = "--attempt", paramLabel = "N", description = "The log of attempt N (1 = the first run; a "
            + "retried job has several; default: the latest).")
    Integer attempt;

    @Option(names = "--json", description = "Print JSON for scripts: {id, text, offset, complete}; with --follow"
            + " one such object per line for each piece of new output.")
    boolean json;

    private long offset;
    private long printed;

    LogsCommand(Context ctx) {
        super(ctx);
    }

    @Override
    void validate() {
        if (tail != null && tail < 0) {
            throw usage("--tail must be 0 or more, not " + tail);
        }
        if (attempt != null && attempt < 1) {
            throw usage("--attempt must be 1 or more, not " + attempt);
        }
    }

    @Override
    int run(DopqSession session) throws Exception {
        JobView job = session.job(id).job();
        if (neverRan(job)) {
            return whyNotRun(job);
        }
        offset = start(session);
        if (follow) {
            ctx.repeater().repeat(FOLLOW_PAUSE, () -> !readAvailable(session).complete());
            if (printed == 0) {
                // it may have been refused while we waited for it
                JobView after = session.job(id).job();
                if (neverRan(after)) {
                    return whyNotRun(after);
                }
            }
        } else {
            LogChunk read = readAvailable(session);
            if (json) {
                Json.print(ctx.out(), object(read.text(), read));
            }
        }
        return ok();
    }

    /** The offset to read from: the start, the last N lines, or (tail 0) the end. */
    private long start(DopqSession session) throws Exception {
        if (tail == null) {
            return 0;
        }
        if (tail > 0) {
            return -tail;
        }
        // the last line's end is where new output begins; what came before is not printed
        return read(session, -1).offset();
    }

    private LogChunk read(DopqSession session, long from) throws Exception {
        return attempt == null ? session.logs(id, from, CHUNK_BYTES) : session.logs(id, attempt, from, CHUNK_BYTES);
    }

    /** True for a job that ended without its container ever running (refused, failed to build, deleted). */
    static boolean neverRan(JobView job) {
        return job.startedAt() == null && job.attempt() <= 1 && job.finishedAt() != null
                && !"SUCCEEDED".equals(job.state());
    }

    private int whyNotRun(JobView job) {
        ctx.err().println("dopq: job " + job.id() + " never ran: " + job.state().toLowerCase(java.util.Locale.ROOT)
                + (job.reason() == null ? "" : ", " + job.reason()));
        return ExitCodes.NOT_RUN;
    }

    /**
     * Reads everything written so far. Prints it as it comes, except for {@code --json} without {@code --follow},
     * where the caller prints one object; returns all text read with the last chunk's offset and state.
     */
    private LogChunk readAvailable(DopqSession session) throws Exception {
        StringBuilder all = new StringBuilder();
        LogChunk chunk;
        boolean progressed;
        do {
            chunk = read(session, offset);
            emit(chunk);
            printed += chunk.text().length();
            all.append(chunk.text());
            progressed = chunk.offset() != offset;
            offset = chunk.offset();
        } while (progressed && !chunk.text().isEmpty() && !chunk.complete());
        return new LogChunk(all.toString(), chunk.offset(), chunk.complete());
    }

    private void emit(LogChunk chunk) {
        if (!json) {
            ctx.out().print(chunk.text());
        } else if (follow && (!chunk.text().isEmpty() || chunk.complete())) {
            Json.printLine(ctx.out(), object(chunk.text(), chunk));
        }
        ctx.out().flush();
    }

    private Map<String, Object> object(String text, LogChunk chunk) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("text", text);
        out.put("offset", chunk.offset());
        out.put("complete", chunk.complete());
        return out;
    }
}
