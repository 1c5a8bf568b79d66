package dev.dopq.api;

import java.rmi.Remote;
import java.rmi.RemoteException;
import java.time.Instant;
import java.util.List;

/**
 * Everything a client can ask of the server, on behalf of one authenticated (or anonymous) caller.
 * Users act on their own jobs; lock, unlock, clear history, shutdown and user management are admin-only.
 * Job ids are decimal strings.
 */
public interface DopqSession extends Remote {

    /** Name of the caller, or {@code "anonymous"}. */
    String whoami() throws RemoteException, ApiException;

    /** Lock state, counts, host figures and every GPU. */
    SystemStatus status() throws RemoteException, ApiException;

    /** RUNNING jobs, oldest start first. */
    List<JobView> running() throws RemoteException, ApiException;

    /**
     * Every QUEUED job in the order it will start. A long queue makes this a large answer (10,000 jobs are
     * about 2 MB); clients that show the queue should ask for a page with {@link #queue(QueueQuery)}.
     */
    List<JobView> queue() throws RemoteException, ApiException;

    /** One page of the QUEUED jobs in the order they will start, with the queue's length. */
    QueuePage queue(QueueQuery query) throws RemoteException, ApiException;

    /** Jobs in a terminal state, newest first, filtered and paged. */
    List<JobView> history(HistoryQuery query) throws RemoteException, ApiException;

    /** Per-user fair-share figures, lowest penalty first. */
    List<UserStats> users() throws RemoteException, ApiException;

    /** One job with its waiting reason and transitions. */
    JobDetail job(String id) throws RemoteException, ApiException;

    /**
     * Reads a job's output log from a byte offset. {@code offset < 0} means the last {@code -offset} lines.
     * Owners and admins only (or anyone when the job's owner is the caller).
     */
    LogChunk logs(String id, long offset, int maxBytes) throws RemoteException, ApiException;

    /**
     * Reads the output log of one attempt of a job (1-based; retries make several), as {@link #logs} does for
     * the current one. An earlier attempt's chunk is complete once its end is read.
     */
    LogChunk logs(String id, int attempt, long offset, int maxBytes) throws RemoteException, ApiException;

    /** GPUs with their holders and, with NVML, utilisation. */
    List<GpuView> gpus() throws RemoteException, ApiException;

    /** The nodes jobs run on, with their state, GPUs and dopq jobs ({@code local} alone on a single machine). */
    List<NodeView> nodes() throws RemoteException, ApiException;

    /**
     * Starts uploading a zip of {@code size} bytes (at most {@link ApiLimits#MAX_SUBMIT_BYTES}) and returns the
     * upload's id. The zip arrives in chunks ({@link #uploadChunk}), so no call carries more than
     * {@link ApiLimits#MAX_CHUNK_BYTES}. {@link Uploads#submit} does all three steps.
     */
    String beginUpload(String fileName, long size) throws RemoteException, ApiException;

    /** Appends the next chunk (1 to {@link ApiLimits#MAX_CHUNK_BYTES} bytes) to an upload of this session. */
    void uploadChunk(String uploadId, byte[] chunk) throws RemoteException, ApiException;

    /**
     * Ends an upload whose bytes all arrived and submits the zip (same pipeline as the share). The zip's
     * {@code executor_name} must be the caller unless the caller is an admin; left out, it is the caller. Returns
     * the RECEIVED job.
     */
    JobView finishUpload(String uploadId) throws RemoteException, ApiException;

    /** Deletes a QUEUED (or not yet queued) job: it ends CANCELLED. */
    JobView delete(String id) throws RemoteException, ApiException;

    /** Cancels a RUNNING job (stop with a grace period, then kill): it ends CANCELLED. */
    JobView cancel(String id) throws RemoteException, ApiException;

    /**
     * Cancels a RUNNING job: the answer shows it stopping, with its kill deadline. {@code now} kills it without
     * the grace period. A job that is not running yet is deleted instead.
     */
    JobView cancel(String id, boolean now) throws RemoteException, ApiException;

    /** Pauses starting new jobs; running ones continue. Admin only. */
    void lock() throws RemoteException, ApiException;

    /** Resumes starting jobs. Admin only. */
    void unlock() throws RemoteException, ApiException;

    /** Removes finished jobs (finished before {@code before}, or all when null) from the history. Admin only. */
    int clearHistory(Instant before) throws RemoteException, ApiException;

    /** Stops the server; running containers are left to be re-adopted unless {@code stopRunning}. Admin only. */
    void shutdown(boolean stopRunning) throws RemoteException, ApiException;

    /** Adds a user and returns its new token, shown once. Admin only. */
    String addUser(String name, boolean admin) throws RemoteException, ApiException;

    /** Removes a user (its jobs stay in the history); their waiting jobs are cancelled. Admin only. */
    void removeUser(String name) throws RemoteException, ApiException;

    /**
     * Removes a user; its finished jobs stay in the history. {@code cancelJobs}: its jobs that have not started
     * end CANCELLED (running ones are stopped); otherwise they stay and run. Returns how many were cancelled.
     * Admin only.
     */
    int removeUser(String name, boolean cancelJobs) throws RemoteException, ApiException;

    /**
     * Grants ({@code admin} true) or takes away a user's admin right. Taking it away ends the user's sessions, API
     * and dashboard. Refused for oneself (so an admin always remains) and for admins named in config.ini.
     * Admin only.
     */
    void setAdmin(String name, boolean admin) throws RemoteException, ApiException;

    /** Every known user. Admin only. */
    List<UserInfo> listUsers() throws RemoteException, ApiException;

    /** Replaces a user's token and returns the new one. Admins for anyone, users for themselves. */
    String newToken(String name) throws RemoteException, ApiException;

    /** Where the caller is told that their jobs ended. */
    NotifySettings notifySettings() throws RemoteException, ApiException;

    /**
     * Sets where the caller is told that their jobs ended: {@code null} leaves a setting as it is, an empty string
     * clears it. The webhook must be an http(s) URL, the e-mail an address.
     */
    NotifySettings setNotify(String webhook, String email) throws RemoteException, ApiException;

    /**
     * The quotas in force: first the default row (user {@value QuotaInfo#DEFAULT_USER}), then one row per user
     * with what they hold, wait for and used. Admins see every user; a user sees the default and their own row.
     */
    List<QuotaInfo> quotas() throws RemoteException, ApiException;

    /**
     * Sets one cap at run time, kept across restarts and winning over config.ini. Admin only.
     *
     * @param user  a user name, or {@value QuotaInfo#DEFAULT_USER} for the default of every user
     * @param key   {@code max_gpus}, {@code max_queued} or {@code max_gpu_hours_per_day}
     * @param value {@code none}, a number (hours may be decimal), or {@code reset} to go back to config.ini
     * @return the quotas after the change, as {@link #quotas()} shows them
     */
    List<QuotaInfo> setQuota(String user, String key, String value) throws RemoteException, ApiException;
}
