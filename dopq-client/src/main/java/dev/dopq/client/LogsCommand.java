package dev.dopq.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.dopq.api.DopqSession;
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

    @Option(names = {"-n", "--tail"}, paramLabel = "N", description = "Start with the last N lines only.")
    Integer tail;

    @Option(names = "--json", description = "Print JSON for scripts: {id, text, offset, complete}; with --follow"
            + " one such object per line for each piece of new output.")
    boolean json;

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
            LogChunk read = readAvailable(session);
            if (json) {
                Json.print(ctx.out(), object(read.text(), read));
            }
        }
        return ok();
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
            chunk = session.logs(id, offset, CHUNK_BYTES);
            emit(chunk);
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
