package dev.dopq.server.rmi;

import dev.dopq.api.LogChunk;
import dev.dopq.server.core.Job;
import dev.dopq.server.files.JobFolder;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/** Reads job logs: a byte range (for follow) or the last lines (for tail). */
final class LogFiles {
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

    private static LogChunk tail(Path log, int lines, boolean ended) throws IOException {
        long size = Files.size(log);
        Deque<String> last = new ArrayDeque<>();
        try (var reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                last.addLast(line);
                if (last.size() > lines) {
                    last.removeFirst();
                }
            }
        } catch (java.nio.charset.MalformedInputException e) {
            return new LogChunk("(log is not UTF-8 text)\n", size, ended);
        }
        StringBuilder sb = new StringBuilder();
        last.forEach(l -> sb.append(l).append('\n'));
        return new LogChunk(sb.toString(), size, ended);
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
