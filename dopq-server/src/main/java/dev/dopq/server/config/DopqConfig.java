package dev.dopq.server.config;

import dev.dopq.container.ContainerUser;
import dev.dopq.server.core.Quotas;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The validated server configuration, built once at start by {@link ConfigLoader} from config.ini and
 * {@code DOPQ_<SECTION>_<KEY>} environment overrides. Every key has a default; config.ini documents them.
 * Paths are absolute (relative ones in the file are resolved against the file's folder).
 *
 * @param file     the config file read (absolute)
 * @param paths    {@code [paths]}: where the share and the server's state are
 * @param provider {@code [provider]}: intake of zips from the share
 * @param queue    {@code [queue]}: fair share and container handling
 * @param gpu      {@code [gpu]}: the GPU inventory
 * @param docker   {@code [docker]}: the engine and what every container gets
 * @param users    {@code [users]}: users and admins known from the file
 * @param api      {@code [api]}: the remote (RMI) API
 * @param log      {@code [log]}: how much the server logs
 * @param backend  {@code [backend]} and {@code [slurm]}: where jobs run
 * @param web      {@code [web]}: the HTTP endpoint (metrics, health, dashboard)
 * @param notifications {@code [notify]}: notifications when jobs end
 */
public record DopqConfig(Path file, Paths paths, Provider provider, Queue queue, Gpu gpu, Docker docker,
                         Users users, Api api, Log log, Backend backend, Web web, Notify notifications) {

    /**
     * @param level the server's log level: error, warn, info, debug or trace ({@code [log] level}, info;
     *              DoPQ: {@code [queue] verbose}); the variable DOPQ_LOG_LEVEL overrides it
     */
    public record Log(String level) {
    }

    /**
     * @param kind  {@code docker} (this machine's engine, default) or {@code slurm} (the Slurm cluster this machine
     *              submits to)
     * @param slurm {@code [slurm]}: read whatever the kind, used only by {@code slurm}
     */
    public record Backend(String kind, Slurm slurm) {
        public boolean isSlurm() {
            return "slurm".equals(kind);
        }
    }

    /**
     * @param partition  partition jobs go to; null = the cluster's default ({@code partition})
     * @param conf       slurm.conf the commands read; null = the system's ({@code conf}, else SLURM_CONF)
     * @param shared     folder every node sees at the same path: batch scripts, logs, exit codes, image tars
     *                   ({@code shared}, default {@code <state>/slurm})
     * @param poll       how often the cluster is asked how jobs and nodes are ({@code poll}, 2s)
     * @param dockerHost engine the batch step runs containers on; null = the node's default engine, or the
     *                   address in {@code <shared>/engines/<node>} when that file exists ({@code docker_host})
     */
    public record Slurm(String partition, Path conf, Path shared, Duration poll, String dockerHost) {
    }

    /**
     * @param inbox the share users drop zips into ({@code inbox}, default {@code shared-inbox})
     * @param state the server's own folder: database, work dirs, logs ({@code state}, default {@code state})
     */
    public record Paths(Path inbox, Path state) {
        /** The H2 database file base name: {@code <state>/db/dopq}. */
        public Path database() {
            return state.resolve("db").resolve("dopq");
        }

        /** Per-job work folders (taken zips, extracted contexts): {@code <state>/work}. */
        public Path work() {
            return state.resolve("work");
        }

        /** Per-job log files: {@code <state>/logs}. */
        public Path logs() {
            return state.resolve("logs");
        }
    }

    /**
     * @param settle        a zip is taken when its size and mtime were stable this long ({@code settle}, 5s)
     * @param rescan        period of the inbox rescan that catches what watch events miss ({@code rescan}, 2s)
     * @param minFreeBytes  intake pauses while the state folder's disk has less free space ({@code min_free}, 1g)
     * @param identity      how a zip from the share proves whose it is ({@code identity}, folder; the old
     *                      {@code verify_owner = yes} means owner)
     * @param maxEntries    most entries a zip may hold ({@code max_entries}, 100000)
     * @param maxEntryBytes largest uncompressed entry ({@code max_entry_size}, 20g)
     * @param maxTotalBytes largest uncompressed total ({@code max_total_size}, 50g)
     * @param maxRatio      largest uncompressed/compressed ratio ({@code max_ratio}, 200)
     * @param removeImages  remove a job's built image when the job ends ({@code remove_images}, yes)
     * @param minFreePercent {@code min_free} given as a percentage of the disk (then minFreeBytes is 0), else 0
     * @param buildTimeout  longest time one image build or load may take ({@code build_timeout}, 2h)
     * @param buildMemoryBytes memory limit of a build's steps ({@code build_memory}, 8g; 0 = none)
     */
    public record Provider(Duration settle, Duration rescan, long minFreeBytes, Identity identity,
                           long maxEntries, long maxEntryBytes, long maxTotalBytes, int maxRatio,
                           boolean removeImages, double minFreePercent, Duration buildTimeout,
                           long buildMemoryBytes) {
        /** The bytes that must stay free on a disk of {@code diskBytes}. */
        public long minFreeOn(long diskBytes) {
            return minFreePercent > 0 ? (long) (diskBytes * (minFreePercent / 100.0)) : minFreeBytes;
        }

        /** Whose a zip dropped on the share is. */
        public enum Identity {
            /** The user whose folder {@code <inbox>/<user>/} holds it; executor_name may only repeat that name. */
            FOLDER,
            /** The user the file's owning uid maps to; root-owned or unmapped files are refused. */
            OWNER,
            /** Whoever its executor_name names (DoPQ's rule: anyone who can write to the share can be anyone). */
            CLAIM
        }
    }

    /**
     * @param penalty          {@code "usage"} (decayed GPU-seconds, default) or {@code "dopq"} (DoPQ's rule)
     * @param halfLife         half-life of usage decay ({@code half_life}, 24h)
     * @param cpuWeight        weight of a CPU-only job's seconds relative to one GPU's ({@code cpu_weight}, 0.1)
     * @param stopGrace        time a stopped container gets between SIGTERM and SIGKILL ({@code stop_grace}, 30s)
     * @param removeContainers remove containers once logs and exit code are stored ({@code remove_containers}, yes)
     * @param reconcile        period of the fallback comparison of jobs and containers ({@code reconcile}, 10s)
     * @param keepHistory      finished jobs kept; older ones are deleted by a periodic sweep ({@code keep_history},
     *                         0 = all are kept; DoPQ: {@code max.history})
     * @param maxLogBytes      largest output.log of one attempt; beyond it the head and the tail are kept
     *                         ({@code max_log}, 1g)
     */
    public record Queue(String penalty, Duration halfLife, double cpuWeight, Duration stopGrace,
                        boolean removeContainers, Duration reconcile, int keepHistory, long maxLogBytes) {
    }

    /**
     * @param mode           {@code devices = auto} (NVML), {@code none}, or a declared list
     * @param ids            the declared GPU indices (DECLARED only; empty otherwise)
     * @param memory         declared memory in bytes per GPU index ({@code devices = 0:24g,1:24g}); GPUs declared
     *                       without it are missing here and host no job that shares a GPU
     * @param respectForeign a GPU used by a process that is not ours counts as busy ({@code respect_foreign}, yes)
     * @param nvidiaRuntime  add GPU device requests: {@code auto} (when the engine lists the nvidia runtime),
     *                       {@code yes} or {@code no}
     * @param dcgmJobMappingDir folder where one file per GPU index lists the ids of the jobs on it
     *                       (dcgm-exporter's {@code --hpc-job-mapping-dir}); null = not written
     */
    public record Gpu(Mode mode, List<String> ids, java.util.Map<String, Long> memory, boolean respectForeign,
                      String nvidiaRuntime, Path dcgmJobMappingDir) {
        public Gpu {
            ids = List.copyOf(ids);
            memory = java.util.Map.copyOf(memory);
        }

        /** Where the GPU list comes from. */
        public enum Mode { AUTO, NONE, DECLARED }
    }

    /**
     * @param host             engine address; never blank (blank in the file = DOCKER_HOST or the local socket)
     * @param network          network containers join; null = the engine's default
     * @param mounts           admin mounts given to every container ({@code mounts}, DoPQ: {@code mount.volumes})
     * @param output           folder whose {@code <user>/} subfolder is mounted read-write at /output; null = none
     * @param allowHostNetwork jobs may ask for the host network ({@code allow_host_network}, no)
     * @param allowHostPid     jobs may ask for the host pid namespace ({@code allow_host_pid}, no)
     * @param defaultMemoryBytes memory limit of a job that asks for none ({@code default_memory}, blank = 0 = no
     *                         limit; DoPQ: {@code mem.limit})
     * @param uidFirst         first host uid given to users that have none ({@code uid_range}, 200000-265535)
     * @param uidLast          last such uid
     * @param pidsLimit        most processes a job's container may have ({@code pids_limit}, 4096)
     * @param allowedImages    glob patterns of existing images jobs may run by name ({@code allowed_images}, none)
     */
    public record Docker(String host, String network, List<Mount> mounts, Path output, boolean allowHostNetwork,
                         boolean allowHostPid, long defaultMemoryBytes, long uidFirst, long uidLast, long pidsLimit,
                         List<String> allowedImages) {
        public Docker {
            mounts = List.copyOf(mounts);
            allowedImages = List.copyOf(allowedImages);
        }

        /** A bind mount: existing absolute host path, absolute container path. */
        public record Mount(Path host, String container, boolean readOnly) {
        }
    }

    /**
     * @param valid  users allowed to submit, lower case ({@code valid_executors}, DoPQ: {@code valid.executors})
     * @param admins users with admin rights, lower case ({@code admins})
     * @param dopqDatabase DoPQ's user database (pickleDB JSON) whose users are imported at start
     *                     ({@code dopq_database}, DoPQ: {@code [paths] user_database.dir}); null = none
     * @param uids   host uid (and gid) of users, as the admin gives them ({@code uids}, "ana:1001, bo:1002:100")
     * @param quotas caps per user: {@code max_gpus}, {@code max_queued}, {@code max_gpu_hours_per_day} (none by
     *               default), each also per user as {@code max_gpus.NAME}; {@code dopq quota} changes them at
     *               run time, and those changes win over the file
     */
    public record Users(List<String> valid, List<String> admins, Path dopqDatabase, Map<String, ContainerUser> uids,
                        Quotas quotas) {
        public Users {
            valid = List.copyOf(valid);
            admins = List.copyOf(admins);
            uids = Map.copyOf(uids);
            quotas = quotas == null ? Quotas.NONE : quotas;
        }

        public Users(List<String> valid, List<String> admins, Path dopqDatabase, Map<String, ContainerUser> uids) {
            this(valid, admins, dopqDatabase, uids, Quotas.NONE);
        }
    }

    /**
     * @param host               address the registry and API listen on ({@code host}, 127.0.0.1)
     * @param port               registry and API port ({@code port}, 7777)
     * @param hostname           name clients use, set as java.rmi.server.hostname (blank in the file = host)
     * @param anonymousRead      reading without a token is allowed ({@code anonymous_read}, no)
     * @param tls                TLS sockets ({@code tls}, no)
     * @param keystore           server key store (required with tls), or null
     * @param keystorePassword   its password, or null
     * @param truststore         trust store for client certificates (required with client_auth), or null
     * @param truststorePassword its password, or null
     * @param clientAuth         clients must present a trusted certificate ({@code client_auth}, no)
     * @param maxConnections     open connections one client address may hold ({@code max_connections}, 100)
     * @param maxSessions        sessions one user may hold; the least recently used ends first
     *                           ({@code max_sessions}, 8)
     * @param idleTimeout        an idle connection or session ends after this long ({@code idle_timeout}, 30m)
     */
    public record Api(String host, int port, String hostname, boolean anonymousRead, boolean tls, Path keystore,
                      String keystorePassword, Path truststore, String truststorePassword, boolean clientAuth,
                      int maxConnections, int maxSessions, Duration idleTimeout) {
        @Override
        public String toString() {
            // keeps passwords out of logs that print the config
            return "Api[host=" + host + ", port=" + port + ", hostname=" + hostname + ", anonymousRead="
                    + anonymousRead + ", tls=" + tls + ", keystore=" + keystore + ", truststore=" + truststore
                    + ", clientAuth=" + clientAuth + ", maxConnections=" + maxConnections + ", maxSessions="
                    + maxSessions + ", idleTimeout=" + idleTimeout + "]";
        }
    }

    /**
     * @param host             address the HTTP endpoint listens on ({@code host}, 127.0.0.1)
     * @param port             its port ({@code port}, 7780); 0 = no HTTP endpoint
     * @param tls              HTTPS ({@code tls}, no)
     * @param keystore         server key store (required with tls), or null
     * @param keystorePassword its password, or null
     * @param publicUrl        the origin browsers use ({@code public_url}; blank = derived from host and port);
     *                         state-changing requests must come from it
     */
    public record Web(String host, int port, boolean tls, Path keystore, String keystorePassword, String publicUrl) {
        /** True when the endpoint is switched on. */
        public boolean enabled() {
            return port > 0;
        }

        @Override
        public String toString() {
            return "Web[host=" + host + ", port=" + port + ", tls=" + tls + ", keystore=" + keystore
                    + ", publicUrl=" + publicUrl + "]";
        }
    }

    /**
     * @param webhook      URL every finished job is POSTed to (Slack-compatible JSON), or null
     * @param retries      delivery attempts before a notification is given up ({@code retries}, 10)
     * @param backoff      wait after the first failed attempt, doubled after each further one ({@code backoff}, 5s)
     * @param smtpHost     SMTP server for e-mail notifications, or null (no e-mail)
     * @param smtpPort     its port ({@code smtp_port}, 25)
     * @param smtpUser     SMTP login, or null
     * @param smtpPassword its password, or null
     * @param smtpFrom     sender address ({@code smtp_from}, dopq@localhost)
     * @param smtpTls      STARTTLS required ({@code smtp_starttls}, no)
     */
    public record Notify(String webhook, int retries, Duration backoff, String smtpHost, int smtpPort,
                         String smtpUser, String smtpPassword, String smtpFrom, boolean smtpTls) {
        @Override
        public String toString() {
            return "Notify[webhook=" + (webhook == null ? null : "(set)") + ", retries=" + retries + ", backoff="
                    + backoff + ", smtpHost=" + smtpHost + ", smtpPort=" + smtpPort + ", smtpUser=" + smtpUser
                    + ", smtpFrom=" + smtpFrom + ", smtpTls=" + smtpTls + "]";
        }
    }
}
