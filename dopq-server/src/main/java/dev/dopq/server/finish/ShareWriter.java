package dev.dopq.server.finish;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dopq.server.core.Job;
import dev.dopq.server.files.LinkRefusedException;
import dev.dopq.server.files.SafeFiles;
import dev.dopq.server.service.JobViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes outcomes back to the share for people who never open the client, each inside the user's own folder so
 * that share permissions keep it private: rejected zips to {@code <inbox>/<user>/failed/} with a reason file (or
 * {@code <inbox>/failed/} when no user is proven), finished jobs to {@code <inbox>/<user>/results/<id>-<name>/}.
 * Every write goes through {@link SafeFiles}: a link planted anywhere on the way is refused and logged. What is
 * written in a user's folder is readable by its owner only; when the server can, it gives it to the user's uid.
 * Not final: tests stand a slow share in for it.
 */
public class ShareWriter {
    private static final Logger LOG = LoggerFactory.getLogger(ShareWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The top-level failed/ folder holds zips of no proven user: whoever dropped them must be able to read why. */
    private static final Set<PosixFilePermission> OPEN_DIR = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> OPEN_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path inbox;
    private final Function<String, Optional<UserPrincipal>> owners;

    /** A writer that gives users' files to their host accounts when the server runs as root. */
    public ShareWriter(Path inbox) {
        this(inbox, hostAccounts(inbox, Map.of()));
    }

    /** {@code owners} maps a user to the host account that should own its files (empty: leave them the server's). */
    public ShareWriter(Path inbox, Function<String, Optional<UserPrincipal>> owners) {
        this.inbox = inbox;
        this.owners = owners;
    }

    public Path failedDir() {
        return inbox.resolve("failed");
    }

    /**
     * Makes {@code <inbox>/<user>/} (the folder a user drops zips into and gets outcomes back in) if it is missing.
     * With a host account of that name and a server running as root, the folder becomes that account's, owner
     * only; otherwise the admin's share set-up decides who may write there.
     */
    public void ensureUserFolder(String user) {
        Optional<UserPrincipal> owner = owners.apply(user);
        try (SafeFiles.Folder f = open(List.of(), OPEN_DIR)) {
            if (f.has(user)) {
                f.folder(user, OPEN_DIR).close(); // refuses a link there
                return;
            }
            try (SafeFiles.Folder made = f.folder(user, owner.isPresent() ? SafeFiles.OWNER_DIR : OPEN_DIR)) {
                if (owner.isPresent()) {
                    made.chownSelf(owner.get());
                }
                LOG.info("made the inbox folder {} of user {}", made.path(), user);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not make the inbox folder of user {}: {}", user, e.toString());
        }
    }

    /**
     * Moves a zip into {@code <inbox>/<user>/failed/} ({@code <inbox>/failed/} when {@code user} is null) next to
     * {@code <name>.reason.txt}; never overwrites an earlier one.
     */
    public Path quarantine(Path zip, String user, String baseName, String reason) throws IOException {
        Optional<UserPrincipal> owner = user == null ? Optional.empty() : owners.apply(user);
        boolean private_ = user != null;
        Set<PosixFilePermission> dirMode = private_ ? SafeFiles.OWNER_DIR : OPEN_DIR;
        Set<PosixFilePermission> fileMode = private_ ? SafeFiles.OWNER_FILE : OPEN_FILE;
        List<String> where = user == null ? List.of("failed") : List.of(user, "failed");
        try (SafeFiles.Folder dir = open(where, dirMode)) {
            if (owner.isPresent()) {
                dir.chownSelf(owner.get());
            }
            String stem = safeName(baseName);
            for (int i = 2; dir.has(stem + ".zip") || dir.has(stem + ".reason.txt"); i++) {
                stem = safeName(baseName) + "-" + i;
            }
            dir.write(stem + ".reason.txt", (reason + System.lineSeparator()).getBytes(StandardCharsets.UTF_8),
                    fileMode);
            if (Files.exists(zip, LinkOption.NOFOLLOW_LINKS)) {
                dir.copy(zip, stem + ".zip", fileMode);
                Files.delete(zip);
            }
            if (owner.isPresent()) {
                dir.chown(stem + ".reason.txt", owner.get());
                if (dir.has(stem + ".zip")) {
                    dir.chown(stem + ".zip", owner.get());
                }
            }
            Path target = dir.path().resolve(stem + ".zip");
            LOG.info("quarantined {} as {}: {}", baseName, target, reason);
            return target;
        } catch (LinkRefusedException e) {
            LOG.warn("refused to give back {} ({}): {}", baseName, user == null ? "no user" : user, e.getMessage());
            throw e;
        }
    }

    /**
     * A retried job keeps every attempt's log: {@code attempt-1.log}, ... next to {@code output.log} (the last).
     * The logs sit beside {@code outputLog} in the job's folder, named the same way; they are written through
     * {@code dir} like every other result file. Returns the names written.
     */
    private static List<String> copyAttemptLogs(Job job, Path outputLog, SafeFiles.Folder dir) throws IOException {
        if (outputLog == null || job.attempt() < 2) {
            return List.of();
        }
        List<String> written = new ArrayList<>();
        for (int i = 1; i <= job.attempt(); i++) {
            String name = "attempt-" + i + ".log";
            Path log = outputLog.resolveSibling(name);
            if (Files.exists(log, LinkOption.NOFOLLOW_LINKS)) {
                dir.copy(log, name, SafeFiles.OWNER_FILE);
                written.add(name);
            }
        }
        return written;
    }

    /** Writes status.json and output.log (the last attempt's; each attempt's too when there were several) of a job
     * that ended, readable only by the job's owner (and the server). */
    public void writeResult(Job job, Path outputLog) {
        if (!job.ownerKnown()) {
            LOG.info("job {} ended before its owner was known; no result folder to write", job.id());
            return;
        }
        Optional<UserPrincipal> owner = owners.apply(job.user());
        String name = job.id() + "-" + safeName(job.name());
        try (SafeFiles.Folder results = open(List.of(safeName(job.user()), "results"), SafeFiles.OWNER_DIR);
             SafeFiles.Folder dir = results.folder(name, SafeFiles.OWNER_DIR)) {
            dir.write("status.json", JSON.writeValueAsBytes(JobViews.json(job)), SafeFiles.OWNER_FILE);
            boolean log = outputLog != null && Files.exists(outputLog, LinkOption.NOFOLLOW_LINKS);
            List<String> written = new ArrayList<>(List.of("status.json"));
            written.addAll(copyAttemptLogs(job, outputLog, dir));
            if (log) {
                dir.copy(outputLog, "output.log", SafeFiles.OWNER_FILE);
                written.add("output.log");
            }
            if (owner.isPresent()) {
                results.chownSelf(owner.get());
                dir.chownSelf(owner.get());
                for (String file : written) {
                    dir.chown(file, owner.get());
                }
            }
        } catch (LinkRefusedException e) {
            LOG.warn("refused to write the result of job {} ({}): {}", job.id(), job.user(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not write the result of job {} to the share: {}", job.id(), e.toString());
        }
    }

    /** A folder below the inbox (made if the admin's inbox itself is still missing). */
    private SafeFiles.Folder open(List<String> names, Set<PosixFilePermission> mode) throws IOException {
        Files.createDirectories(inbox);
        return SafeFiles.open(inbox, names, mode);
    }

    /**
     * Who should own a user's files when this server runs as root (only root can give files away): the uid the
     * admin gave the user ({@code [users] uids}), else the host account named like the user; empty otherwise, or
     * when neither is known (a uid taken from {@code [docker] uid_range} belongs to no person who could read them).
     */
    public static Function<String, Optional<UserPrincipal>> hostAccounts(Path inbox, Map<String, Long> givenUids) {
        boolean root = "root".equals(System.getProperty("user.name"));
        return user -> {
            if (!root) {
                return Optional.empty();
            }
            Long given = givenUids.get(user);
            try {
                // a name of digits that is no account is taken as the uid itself
                return Optional.of(inbox.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(given != null ? Long.toString(given) : user));
            } catch (UserPrincipalNotFoundException e) {
                return Optional.empty();
            } catch (IOException | UnsupportedOperationException e) {
                LOG.debug("could not look up the host account {}: {}", user, e.toString());
                return Optional.empty();
            }
        };
    }

    static String safeName(String s) {
        String cleaned = s == null ? "" : s.replaceAll("[^A-Za-z0-9._-]", "_");
        cleaned = cleaned.replaceAll("^[.]+", "_");
        if (cleaned.isEmpty()) {
            return "job";
        }
        return cleaned.length() > 80 ? cleaned.substring(0, 80) : cleaned;
    }
}
