package dev.dopq.server.files;

import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The files of one job under the server's work dir. Two jobs never share a folder. */
public record JobFolder(Path dir) {
    /**
     * Options for writing a small file of the job folder: created or replaced, never through a link planted at its
     * name (the state folder is the server's alone; this holds even if something else could write there).
     */
    public static OpenOption[] noLinks() {
        return new OpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS};
    }

    public static JobFolder of(String workDir) {
        return new JobFolder(Path.of(workDir));
    }

    public Path zip() {
        return dir.resolve("job.zip");
    }

    /** Where the zip is extracted. */
    public Path extracted() {
        return dir.resolve("context");
    }

    /** Original inbox path and file owner, written when the zip is taken. */
    public Path source() {
        return dir.resolve("source.properties");
    }

    /** Holds where the zip is being moved from, while the move is under way (see the provider's Intake). */
    public Path moving() {
        return dir.resolve("moving-from");
    }

    /** Marks that the job row exists (written right after insert). */
    public Path idMarker() {
        return dir.resolve("job.id");
    }

    public Path buildLog() {
        return dir.resolve("build.log");
    }

    /** Output of one attempt (1-based). */
    public Path attemptLog(int attempt) {
        return dir.resolve("attempt-" + attempt + ".log");
    }
}
