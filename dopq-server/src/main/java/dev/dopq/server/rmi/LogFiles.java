package dev.dopq.server.rmi;

import dev.dopq.api.LogChunk;
import dev.dopq.server.core.Job;
import dev.dopq.server.files.JobFolder;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads job logs: a byte range (for follow) or the last lines (for tail). */
final class LogFiles {
    /** The most a tail returns: lines beyond it are cut at the front. */
    static final int MAX_TAIL_BYTES = 1 << 20;
    private static final int BLOCK = 64 * 1024;

    private LogFiles() {
    }

    static LogChunk read(Job job, long offset, int maxBytes) throws IOException {
        return read(job, job.attempt(), offset, maxBytes);
    }

    /** Reads attempt {@code attempt}'s log; an earlier attempt than the current one has ended. */
    static LogChunk read(Job job, int attempt, long offset, int maxBytes) throws IOException {
        if (job.workDir() == null) {
            return new LogChunk("", 0, job.state().isTerminal());
        }
        Path log = JobFolder.of(job.workDir()).attemptLog(attempt);
        boolean ended = job.state().isTerminal() || attempt < job.attempt();
        if (!Files.exists(log)) {
            return new LogChunk("", 0, ended);
        }
        if (offset < 0) {
            return tail(log, (int) Math.min(-offset, 100_000), ended);
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long size = f.length();
            long from = Math.min(offset, size);
            int n = (int) Math.min(maxBytes, size - from);
            byte[] buf = new byte[n];
            f.seek(from);
            f.readFully(buf);
            long next = from + n;
            return new LogChunk(new String(buf, StandardCharsets.UTF_8), next, ended && next >= size);
        }
    }

    /**
     * The last {@code lines} lines, read backwards from the end in blocks: no line is ever held whole, however long
     * (a job may print a gigabyte without a newline). At most {@link #MAX_TAIL_BYTES} are returned.
     */
    static LogChunk tail(Path log, int lines, boolean ended) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long size = f.length();
            long start = tailStart(f, size, lines);
            byte[] buf = new byte[(int) (size - start)];
            f.seek(start);
            f.readFully(buf);
            String text = new String(buf, StandardCharsets.UTF_8);
            return new LogChunk(text.isEmpty() || text.endsWith("\n") ? text : text + "\n", size, ended);
        }
    }

    /** Where the last {@code lines} lines begin (a final newline ends the last line, it starts none). */
    private static long tailStart(RandomAccessFile f, long size, int lines) throws IOException {
        long floor = Math.max(0, size - MAX_TAIL_BYTES);
        byte[] block = new byte[BLOCK];
        int seen = 0;
        long end = size;
        while (end > floor) {
            int n = (int) Math.min(BLOCK, end - floor);
            f.seek(end - n);
            f.readFully(block, 0, n);
            for (int i = n - 1; i >= 0; i--) {
                long at = end - n + i;
                if (block[i] == '\n' && at != size - 1 && ++seen == lines) {
                    return at + 1;
                }
            }
            end -= n;
        }
        return floor;
    }

    /** Size of an attempt's log in bytes, 0 when it has none. */
    static long size(Job job, int attempt) {
        if (job.workDir() == null) {
            return 0;
        }
        try {
            Path log = JobFolder.of(job.workDir()).attemptLog(attempt);
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    static String buildLogTail(Job job, int lines) {
        if (job.workDir() == null) {
            return null;
        }
        Path log = JobFolder.of(job.workDir()).buildLog();
        try {
            return Files.exists(log) ? tail(log, lines, true).text() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
