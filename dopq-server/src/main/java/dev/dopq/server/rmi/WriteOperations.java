package dev.dopq.server.rmi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dopq.api.ApiException;
import dev.dopq.api.ApiLimits;
import dev.dopq.api.ConflictException;
import dev.dopq.api.InvalidRequestException;
import dev.dopq.api.JobView;
import dev.dopq.api.NotFoundException;
import dev.dopq.api.PermissionDeniedException;
import dev.dopq.api.UserInfo;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.service.JobViews;
import dev.dopq.server.service.ServerStoppingException;
import dev.dopq.server.service.UserNames;
import dev.dopq.server.store.StaleJobException;
import dev.dopq.server.store.UserStore.StoredUser;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;

/** The changing side of the API. Every method checks who may do it. */
final class WriteOperations {
    private static final Logger LOG = LoggerFactory.getLogger(WriteOperations.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 5;

    private final Backend b;
    private final ReadOperations reads;

    WriteOperations(Backend backend, ReadOperations reads) {
        this.b = backend;
        this.reads = reads;
    }

    /** Starts an upload: who and what are checked before a single byte of the zip is taken. */
    String beginUpload(Caller caller, PendingUploads uploads, String fileName, long size)
            throws ApiException, IOException {
        Checks.authenticated(caller, "submit");
        Checks.text(fileName, "file name", ApiLimits.MAX_FILE_NAME);
        String name = Path.of(fileName.replace('\\', '/')).getFileName().toString();
        if (!name.toLowerCase().endsWith(".zip") || name.startsWith(".")) {
            throw new InvalidRequestException("\"" + Checks.shorten(name) + "\" is not a .zip file name");
        }
        return uploads.begin(name, size);
    }

    /** Submits an upload whose bytes all arrived. */
    JobView finishUpload(Caller caller, PendingUploads uploads, String id) throws ApiException, IOException {
        Checks.authenticated(caller, "submit");
        PendingUploads.Upload upload = uploads.finish(id);
        String name = upload.fileName();
        Path tmp = upload.file();
        try {
            String executor = executorName(tmp);
            if (executor != null && !caller.admin() && !executor.equalsIgnoreCase(caller.name())) {
                throw new PermissionDeniedException("the zip runs as \"" + executor + "\" (executor_name) but you are "
                        + caller.name() + "; only an admin can submit for someone else");
            }
            // refused before anything is stored; the pipeline checks again for zips dropped on the share
            String owner = (executor == null ? caller.name() : executor).toLowerCase(java.util.Locale.ROOT);
            String over = b.quotas().current().queuedRefusal(owner,
                    b.jobs().active().waitingAhead(owner, Long.MAX_VALUE));
            if (over != null) {
                throw new ConflictException(over);
            }
            Job job;
            try {
                job = b.provider().takeUpload(tmp, name, caller.name());
            } catch (ServerStoppingException e) {
                throw new ConflictException(e.getMessage());
            }
            LOG.info("{} uploaded {} as job {}", caller.name(), name, job.id());
            return JobViews.view(job);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** executor_name of a zip's container_config.json when it can be read; the pipeline judges the rest. */
    private static String executorName(Path zip) {
        try (ZipFile z = ZipFile.builder().setPath(zip).get()) {
            for (ZipArchiveEntry e : Collections.list(z.getEntries())) {
                String n = e.getName();
                if ((n.equals("container_config.json") || n.endsWith("/container_config.json"))
                        && e.getSize() < 1 << 20) {
                    try (InputStream in = z.getInputStream(e)) {
                        JsonNode node = JSON.readTree(in.readNBytes(1 << 20));
                        JsonNode ex = node == null ? null : node.get("executor_name");
                        return ex != null && ex.isTextual() ? ex.asText() : null;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    JobView delete(Caller caller, long id) throws ApiException {
        // before the lookup, so an anonymous caller learns nothing about which job ids exist
        Checks.authenticated(caller, "delete jobs");
        for (int i = 0; ; i++) {
            Job job = reads.find(id);
            Checks.mayTouch(caller, job, "delete");
            if (job.state() == JobState.RUNNING) {
                throw new ConflictException("job " + id + " is running; use cancel to stop it");
            }
            if (job.state().isTerminal()) {
                throw new ConflictException("job " + id + " has already ended (" + job.state() + ")");
            }
            try {
                Job after = b.jobs().move(job, JobState.CANCELLED, caller.name(), x -> x
                        .finishedAt(b.clock().instant()).reason("deleted by " + caller.name()));
                b.queue().signal();
                return JobViews.view(after);
            } catch (StaleJobException e) {
                if (i >= ATTEMPTS) {
                    throw new ConflictException("job " + id + " keeps changing; try again");
                }
            }
        }
    }

    JobView cancel(Caller caller, long id, boolean now) throws ApiException {
        Checks.authenticated(caller, "cancel jobs");
        for (int i = 0; ; i++) {
            Job job = reads.find(id);
            Checks.mayTouch(caller, job, "cancel");
            if (job.state() != JobState.RUNNING) {
                return delete(caller, id);
            }
            try {
                Job marked = b.queue().requestStop(job, caller.name(), "cancelled by " + caller.name(), now);
                return JobViews.view(marked, b.clock().instant());
            } catch (StaleJobException e) {
                if (i >= ATTEMPTS) {
                    throw new ConflictException("job " + id + " keeps changing; try again");
                }
            }
        }
    }

    void setLocked(Caller caller, boolean locked) throws ApiException {
        Checks.admin(caller, locked ? "lock the queue" : "unlock the queue");
        b.queue().setLocked(locked);
        LOG.info("queue {} by {}", locked ? "locked" : "unlocked", caller.name());
    }

    int clearHistory(Caller caller, Instant before) throws ApiException {
        Checks.admin(caller, "clear the history");
        int n = b.jobs().store().clearHistory(before);
        reads.historyCleared();
        LOG.info("{} cleared {} finished jobs from the history{}", caller.name(), n,
                before == null ? "" : " (finished before " + before + ")");
        return n;
    }

    void shutdown(Caller caller, boolean stopRunning) throws ApiException {
        Checks.admin(caller, "shut the server down");
        LOG.info("shutdown requested by {}{}", caller.name(), stopRunning ? " (stopping running jobs)" : "");
        b.shutdown().request(stopRunning, caller.name());
    }

    String addUser(Caller caller, String name, boolean admin) throws ApiException {
        Checks.admin(caller, "add users");
        String n = userName(name);
        if (b.accounts().find(n).filter(u -> u.tokenHash() != null).isPresent()) {
            throw new ConflictException("user " + n + " exists already; use `dopq user token " + n + "` for a new token");
        }
        String token = b.accounts().add(n, admin || b.accounts().find(n).map(StoredUser::admin).orElse(false));
        LOG.info("{} added user {}{}", caller.name(), n, admin ? " (admin)" : "");
        return token;
    }

    void setAdmin(Caller caller, String name, boolean admin) throws ApiException {
        Checks.admin(caller, "change admin rights");
        String n = userName(name);
        StoredUser user = b.accounts().find(n).orElseThrow(() -> new NotFoundException("no user " + n));
        if (user.admin() == admin) {
            throw new ConflictException("user " + n + (admin ? " is an admin already" : " is not an admin"));
        }
        if (!admin) {
            if (n.equals(caller.name())) {
                throw new ConflictException("you cannot take away your own admin right; ask another admin");
            }
            if (b.accounts().adminByConfig(n)) {
                throw new ConflictException(n + " is an admin through config.ini ([users] admins); remove the name"
                        + " there and restart the server");
            }
        }
        b.accounts().setAdmin(user, admin);
        LOG.info("{} {} the admin right {} {}", caller.name(), admin ? "gave" : "took away", admin ? "to" : "from", n);
    }

    int removeUser(Caller caller, String name, boolean cancelJobs) throws ApiException {
        Checks.admin(caller, "remove users");
        String n = userName(name);
        if (n.equals(caller.name())) {
            throw new ConflictException("you cannot remove yourself");
        }
        if (!b.accounts().remove(n)) {
            throw new NotFoundException("no user " + n);
        }
        int cancelled = cancelJobs ? cancelJobsOf(n, "user " + n + " removed by " + caller.name(), caller.name()) : 0;
        LOG.info("{} removed user {}; {}", caller.name(), n,
                cancelJobs ? cancelled + " unfinished job(s) cancelled" : "their unfinished jobs stay");
        return cancelled;
    }

    /** Ends the unfinished jobs of {@code user}: waiting ones CANCELLED at once, running ones stopped. */
    private int cancelJobsOf(String user, String reason, String actor) {
        int n = 0;
        for (Job listed : b.jobs().active().inStates(EnumSet.of(JobState.RECEIVED, JobState.BUILDING,
                JobState.QUEUED, JobState.RUNNING))) {
            if (!listed.user().equals(user)) {
                continue;
            }
            for (int i = 0; i < ATTEMPTS; i++) {
                Job job = b.jobs().find(listed.id()).orElse(null);
                if (job == null || job.state().isTerminal()) {
                    break;
                }
                try {
                    if (job.state() == JobState.RUNNING) {
                        b.queue().requestStop(job, actor, reason, false);
                    } else {
                        b.jobs().move(job, JobState.CANCELLED, actor, x -> x.finishedAt(b.clock().instant())
                                .reason(reason));
                    }
                    n++;
                    break;
                } catch (StaleJobException e) {
                    LOG.debug("job {} changed while its user was removed; reading it again", job.id());
                }
            }
        }
        b.queue().signal();
        return n;
    }

    List<UserInfo> listUsers(Caller caller) throws ApiException {
        Checks.admin(caller, "list users");
        return b.accounts().all().stream()
                .map(u -> new UserInfo(u.name(), u.admin(), u.tokenHash() != null, u.fromConfig(), u.createdAt(),
                        u.email()))
                .toList();
    }

    String newToken(Caller caller, String name) throws ApiException {
        Checks.authenticated(caller, "make tokens");
        String n = userName(name);
        if (!caller.admin() && !caller.owns(n)) {
            throw new PermissionDeniedException("only " + n + " or an admin can make a new token for " + n);
        }
        StoredUser user = b.accounts().find(n).orElseThrow(() -> new NotFoundException("no user " + n));
        return b.accounts().renewToken(user);
    }

    private static String userName(String name) throws InvalidRequestException {
        Checks.text(name, "user name", ApiLimits.MAX_NAME);
        try {
            return UserNames.normalize(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
    }
}
