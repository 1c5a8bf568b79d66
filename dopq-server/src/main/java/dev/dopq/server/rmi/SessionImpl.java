package dev.dopq.server.rmi;

import dev.dopq.api.ApiException;
import dev.dopq.api.ApiLimits;
import dev.dopq.api.DopqSession;
import dev.dopq.api.GpuView;
import dev.dopq.api.HistoryQuery;
import dev.dopq.api.InvalidRequestException;
import dev.dopq.api.JobDetail;
import dev.dopq.api.JobView;
import dev.dopq.api.NodeView;
import dev.dopq.api.LogChunk;
import dev.dopq.api.NotFoundException;
import dev.dopq.api.NotifySettings;
import dev.dopq.api.QueuePage;
import dev.dopq.api.QueueQuery;
import dev.dopq.api.QuotaInfo;
import dev.dopq.api.SystemStatus;
import dev.dopq.api.UserInfo;
import dev.dopq.api.UserStats;
import dev.dopq.server.core.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * One caller's session: every call runs with that caller's rights. Unexpected server errors are logged here
 * and cross the wire as a plain {@link ApiException} (no server classes reach the client).
 */
final class SessionImpl implements DopqSession {
    private static final Logger LOG = LoggerFactory.getLogger(SessionImpl.class);

    private final Caller caller;
    private final ReadOperations reads;
    private final WriteOperations writes;
    private final QuotaOperations quotas;
    private final ArrayWrites arrays;
    private final PendingUploads uploads;
    private volatile long lastUsed = System.nanoTime();

    SessionImpl(Caller caller, ReadOperations reads, WriteOperations writes, QuotaOperations quotas,
                ArrayWrites arrays, PendingUploads uploads) {
        this.caller = caller;
        this.reads = reads;
        this.writes = writes;
        this.quotas = quotas;
        this.arrays = arrays;
        this.uploads = uploads;
    }

    Caller caller() {
        return caller;
    }

    /** The session was unexported: what it left unfinished goes. */
    void ended() {
        uploads.discardAll();
    }

    long idleNanos() {
        return System.nanoTime() - lastUsed;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws ApiException, IOException;
    }

    private <T> T call(String what, Call<T> body) throws ApiException {
        long began = System.nanoTime();
        lastUsed = began;
        try {
            return body.run();
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            LOG.error("{} by {} failed", what, caller.name(), e);
            throw new ApiException(what + " failed on the server: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + Checks.shorten(e.getMessage())));
        } finally {
            reads.timer().took(what, System.nanoTime() - began);
        }
    }

    @Override
    public String whoami() {
        return caller.name() + (caller.admin() ? " (admin)" : "");
    }

    @Override
    public SystemStatus status() throws ApiException {
        return call("status", reads::status);
    }

    @Override
    public List<JobView> running() throws ApiException {
        return call("running", reads::running);
    }

    @Override
    public List<JobView> queue() throws ApiException {
        return call("queue", reads::queue);
    }

    @Override
    public QueuePage queue(QueueQuery query) throws ApiException {
        return call("queue", () -> reads.queue(query));
    }

    @Override
    public List<JobView> history(HistoryQuery query) throws ApiException {
        return call("history", () -> reads.history(query));
    }

    @Override
    public List<UserStats> users() throws ApiException {
        return call("users", reads::users);
    }

    @Override
    public JobDetail job(String id) throws ApiException {
        return call("job", () -> reads.job(Checks.jobId(id), caller));
    }

    @Override
    public LogChunk logs(String id, long offset, int maxBytes) throws ApiException {
        return call("logs", () -> {
            long jobId = Checks.jobId(id);
            if (maxBytes < 1 || maxBytes > ApiLimits.MAX_LOG_BYTES) {
                throw new InvalidRequestException("maxBytes must be between 1 and " + ApiLimits.MAX_LOG_BYTES);
            }
            Job job = reads.find(jobId);
            Checks.mayTouch(caller, job, "read the log of");
            return LogFiles.read(job, offset, maxBytes);
        });
    }

    @Override
    public LogChunk logs(String id, int attempt, long offset, int maxBytes) throws ApiException {
        return call("logs", () -> {
            long jobId = Checks.jobId(id);
            if (maxBytes < 1 || maxBytes > ApiLimits.MAX_LOG_BYTES) {
                throw new InvalidRequestException("maxBytes must be between 1 and " + ApiLimits.MAX_LOG_BYTES);
            }
            Job job = reads.find(jobId);
            Checks.mayTouch(caller, job, "read the log of");
            if (attempt < 1 || attempt > job.attempt()) {
                throw new NotFoundException("job " + jobId + " has no attempt " + attempt + " (attempts: 1"
                        + (job.attempt() > 1 ? "-" + job.attempt() : "") + ")");
            }
            return LogFiles.read(job, attempt, offset, maxBytes);
        });
    }

    @Override
    public List<GpuView> gpus() throws ApiException {
        return call("gpus", reads::gpus);
    }

    @Override
    public List<NodeView> nodes() throws ApiException {
        return call("nodes", reads::nodes);
    }

    @Override
    public String beginUpload(String fileName, long size) throws ApiException {
        return call("submit", () -> writes.beginUpload(caller, uploads, fileName, size));
    }

    @Override
    public void uploadChunk(String uploadId, byte[] chunk) throws ApiException {
        call("submit", () -> {
            Checks.authenticated(caller, "submit");
            uploads.append(uploadId, chunk);
            return null;
        });
    }

    @Override
    public JobView finishUpload(String uploadId) throws ApiException {
        return call("submit", () -> writes.finishUpload(caller, uploads, uploadId));
    }

    @Override
    public JobView delete(String id) throws ApiException {
        return call("delete", () -> arrays.delete(caller, Checks.jobId(id)));
    }

    @Override
    public JobView cancel(String id) throws ApiException {
        return call("cancel", () -> arrays.cancel(caller, Checks.jobId(id), false));
    }

    @Override
    public JobView cancel(String id, boolean now) throws ApiException {
        return call("cancel", () -> arrays.cancel(caller, Checks.jobId(id), now));
    }

    @Override
    public void lock() throws ApiException {
        call("lock", () -> {
            writes.setLocked(caller, true);
            return null;
        });
    }

    @Override
    public void unlock() throws ApiException {
        call("unlock", () -> {
            writes.setLocked(caller, false);
            return null;
        });
    }

    @Override
    public int clearHistory(Instant before) throws ApiException {
        return call("clear-history", () -> writes.clearHistory(caller, before));
    }

    @Override
    public void shutdown(boolean stopRunning) throws ApiException {
        call("shutdown", () -> {
            writes.shutdown(caller, stopRunning);
            return null;
        });
    }

    @Override
    public String addUser(String name, boolean admin) throws ApiException {
        return call("user add", () -> writes.addUser(caller, name, admin));
    }

    @Override
    public void removeUser(String name) throws ApiException {
        call("user remove", () -> writes.removeUser(caller, name, true));
    }

    @Override
    public int removeUser(String name, boolean cancelJobs) throws ApiException {
        return call("user remove", () -> writes.removeUser(caller, name, cancelJobs));
    }

    @Override
    public List<UserInfo> listUsers() throws ApiException {
        return call("user list", () -> writes.listUsers(caller));
    }

    @Override
    public void setAdmin(String name, boolean admin) throws ApiException {
        call("user admin", () -> {
            writes.setAdmin(caller, name, admin);
            return null;
        });
    }

    @Override
    public String newToken(String name) throws ApiException {
        return call("user token", () -> writes.newToken(caller, name));
    }

    @Override
    public NotifySettings notifySettings() throws ApiException {
        return call("notify show", () -> reads.notifications().show(caller));
    }

    @Override
    public NotifySettings setNotify(String webhook, String email) throws ApiException {
        return call("notify set", () -> reads.notifications().set(caller, webhook, email));
    }

    @Override
    public List<QuotaInfo> quotas() throws ApiException {
        return call("quota", () -> quotas.quotas(caller));
    }

    @Override
    public List<QuotaInfo> setQuota(String user, String key, String value) throws ApiException {
        return call("quota set", () -> quotas.setQuota(caller, user, key, value));
    }
}
