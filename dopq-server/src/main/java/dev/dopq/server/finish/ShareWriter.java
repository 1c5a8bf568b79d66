package dev.dopq.server.finish;

import dev.dopq.server.files.Moves;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dopq.server.core.Job;
import dev.dopq.server.service.JobViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes outcomes back to the share for people who never open the client: rejected zips to
 * {@code <inbox>/failed/} with a reason file, finished jobs to {@code <inbox>/results/<user>/<id>-<name>/}.
 * Not final: tests stand a slow share in for it.
 */
public class ShareWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ShareWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path inbox;

    public ShareWriter(Path inbox) {
        this.inbox = inbox;
    }

    public Path failedDir() {
        return inbox.resolve("failed");
    }

    /** Moves a zip into {@code failed/} next to {@code <name>.reason.txt}; never overwrites an earlier one. */
    public Path quarantine(Path zip, String baseName, String reason) throws IOException {
        Path dir = Files.createDirectories(failedDir());
        String safe = safeName(baseName);
        Path target = dir.resolve(safe + ".zip");
        for (int i = 2; Files.exists(target) || Files.exists(dir.resolve(stem(target) + ".reason.txt")); i++) {
            target = dir.resolve(safe + "-" + i + ".zip");
        }
        Path reasonFile = dir.resolve(stem(target) + ".reason.txt");
        Files.writeString(reasonFile, reason + System.lineSeparator(), StandardCharsets.UTF_8);
        if (Files.exists(zip)) {
            Moves.move(zip, target);
        }
        LOG.info("quarantined {} as {}: {}", baseName, target, reason);
        return target;
    }

    /**
     * A retried job keeps every attempt's log: {@code attempt-1.log}, ... next to {@code output.log} (the last).
     * The logs sit beside {@code outputLog} in the job's folder, named the same way.
     */
    private static void copyAttemptLogs(Job job, Path outputLog, Path dir) throws IOException {
        if (outputLog == null || job.attempt() < 2) {
            return;
        }
        for (int i = 1; i <= job.attempt(); i++) {
            Path log = outputLog.resolveSibling("attempt-" + i + ".log");
            if (Files.exists(log)) {
                Files.copy(log, dir.resolve("attempt-" + i + ".log"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Writes status.json and output.log (the last attempt's; each attempt's when there were several). */
    public void writeResult(Job job, Path outputLog) {
        try {
            Path dir = Files.createDirectories(inbox.resolve("results").resolve(safeName(job.user()))
                    .resolve(job.id() + "-" + safeName(job.name())));
            Path tmp = dir.resolve(".status.json.tmp");
            Files.write(tmp, JSON.writeValueAsBytes(JobViews.json(job)));
            Files.move(tmp, dir.resolve("status.json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            copyAttemptLogs(job, outputLog, dir);
            if (outputLog != null && Files.exists(outputLog)) {
                Files.copy(outputLog, dir.resolve("output.log"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            LOG.warn("could not write the result of job {} to the share: {}", job.id(), e.toString());
        }
    }

    static String safeName(String s) {
        String cleaned = s == null ? "" : s.replaceAll("[^A-Za-z0-9._-]", "_");
        cleaned = cleaned.replaceAll("^[.]+", "_");
        if (cleaned.isEmpty()) {
            return "job";
        }
        return cleaned.length() > 80 ? cleaned.substring(0, 80) : cleaned;
    }

    private static String stem(Path zip) {
        String n = zip.getFileName().toString();
        return n.substring(0, n.length() - 4);
    }
}
