package dev.dopq.server.config;

import dev.dopq.container.ContainerUser;
import dev.dopq.server.core.Quotas;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Typing of the sections whose values are more than one scalar: [gpu], [docker], [users], [api]. */
final class SectionParsers {
    private static final Pattern GPU_ENTRY = Pattern.compile("(\\d{1,3})(?:\\s*:\\s*(\\S+))?");
    private static final Pattern USER = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern NETWORK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.:\\[\\]%-]+");
    private static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";
    private static final Pattern UID_RANGE = Pattern.compile("\\s*(\\d{1,10})\\s*-\\s*(\\d{1,10})\\s*");
    private static final long MAX_UID = 4_294_967_294L;
    private static final Pattern IMAGE_PATTERN = Pattern.compile("[A-Za-z0-9*?][A-Za-z0-9._/:@*?-]{0,254}");

    private final ValueReader r;
    private final Map<String, String> env;

    SectionParsers(ValueReader reader, Map<String, String> env) {
        this.r = reader;
        this.env = env;
    }

    DopqConfig.Gpu gpu() {
        r.section("gpu");
        String devices = r.text("devices");
        DopqConfig.Gpu.Mode mode = DopqConfig.Gpu.Mode.DECLARED;
        Map<String, Long> declared = new LinkedHashMap<>();
        switch (devices.toLowerCase(Locale.ROOT)) {
            case "auto" -> mode = DopqConfig.Gpu.Mode.AUTO;
            case "none" -> mode = DopqConfig.Gpu.Mode.NONE;
            default -> declared = gpuList(devices);
        }
        if (mode == DopqConfig.Gpu.Mode.DECLARED && declared.isEmpty()) {
            mode = DopqConfig.Gpu.Mode.AUTO; // the problem is reported; the default stands in
        }
        List<String> ids = List.copyOf(declared.keySet());
        Map<String, Long> memory = new LinkedHashMap<>(declared);
        memory.values().removeIf(bytes -> bytes <= 0);
        return new DopqConfig.Gpu(mode, ids, memory, r.bool("respect_foreign"),
                r.choice("nvidia_runtime", List.of("auto", "yes", "no")), r.optionalPath("dcgm_job_mapping_dir"));
    }

    /** {@code 0,1} or with memory {@code 0:24g,1:24g}: GPU index to declared bytes (0 = not declared). */
    private Map<String, Long> gpuList(String devices) {
        Map<String, Long> gpus = new LinkedHashMap<>();
        List<String> entries = r.list("devices");
        for (String entry : entries) {
            Matcher m = GPU_ENTRY.matcher(entry);
            if (!m.matches()) {
                r.problem("devices", "\"" + devices + "\" is not a GPU list; use auto, none, indices like 0,1,2,"
                        + " or indices with memory like 0:24g,1:24g (\"" + entry + "\" is neither)");
                return Map.of();
            }
            String id = String.valueOf(Integer.parseInt(m.group(1)));
            long bytes = m.group(2) == null ? 0 : gpuMemory(devices, m.group(2));
            if (bytes < 0 || gpus.put(id, bytes) != null) {
                if (bytes >= 0) {
                    r.problem("devices", "\"" + devices + "\" names GPU " + id + " twice; list each GPU once");
                }
                return Map.of();
            }
        }
        if (gpus.isEmpty()) {
            r.problem("devices", "\"" + devices + "\" is not a GPU list; use auto, none, or indices like 0,1,2");
        }
        return gpus;
    }

    /** The memory of a declared GPU, or -1 after reporting why it is not one. */
    private long gpuMemory(String devices, String size) {
        try {
            long bytes = dev.dopq.docker.Sizes.parseBytes(size);
            if (bytes > 0) {
                return bytes;
            }
        } catch (IllegalArgumentException e) {
            // reported below, in the words of this key
        }
        r.problem("devices", "\"" + devices + "\": \"" + size + "\" is not a GPU memory size; use a size like 24g"
                + " or 80g after the index, as in 0:24g,1:24g");
        return -1;
    }

    DopqConfig.Docker docker() {
        r.section("docker");
        String network = r.text("network");
        if (!network.isEmpty() && !NETWORK.matcher(network).matches()) {
            r.problem("network", "\"" + network + "\" is not a network name; leave it blank for the engine's"
                    + " default, or use none, bridge or the name of a network made with docker network create");
        }
        long[] uids = uidRange();
        return new DopqConfig.Docker(dockerHost(), network.isEmpty() ? null : network, mounts(),
                r.optionalPath("output"), r.bool("allow_host_network"), r.bool("allow_host_pid"),
                r.optionalSize("default_memory", "no limit"), uids[0], uids[1],
                r.wholeNumber("pids_limit", 16, 4_194_304), imagePatterns());
    }

    /** {@code first-last}: host uids for users without one, above the machine's own users and never root. */
    private long[] uidRange() {
        String text = r.text("uid_range");
        Matcher m = UID_RANGE.matcher(text);
        if (m.matches()) {
            long first = Long.parseLong(m.group(1));
            long last = Long.parseLong(m.group(2));
            if (first >= 1000 && first <= last && last <= MAX_UID) {
                return new long[]{first, last};
            }
        }
        r.problem("uid_range", "\"" + text + "\" is not a uid range; use first-last with 1000 <= first <= last <= "
                + MAX_UID + ", like 200000-265535 (uids no account of this machine uses)");
        Matcher d = UID_RANGE.matcher(ConfigSchema.defaultValue("docker", "uid_range"));
        d.matches();
        return new long[]{Long.parseLong(d.group(1)), Long.parseLong(d.group(2))};
    }

    private List<String> imagePatterns() {
        List<String> patterns = new ArrayList<>();
        for (String item : r.list("allowed_images")) {
            if (!IMAGE_PATTERN.matcher(item).matches()) {
                r.problem("allowed_images", "\"" + item + "\" is not an image pattern; use image references with *"
                        + " and ? like nvidia/cuda:* or pytorch/pytorch:2.*, comma separated");
            } else {
                patterns.add(item);
            }
        }
        return patterns;
    }

    private String dockerHost() {
        String host = r.text("host");
        String origin = r.origin("host");
        if (host.isEmpty()) {
            String fromEnv = env.getOrDefault("DOCKER_HOST", "").trim();
            host = fromEnv.isEmpty() ? DEFAULT_DOCKER_HOST : fromEnv;
            origin = fromEnv.isEmpty() ? origin : "environment DOCKER_HOST";
        }
        if (!host.matches("(unix|tcp|npipe)://\\S+")) {
            r.problemAt(origin, "\"" + host + "\" is not a Docker engine address; use unix:///var/run/docker.sock,"
                    + " tcp://HOST:2376 or leave it blank");
            return DEFAULT_DOCKER_HOST;
        }
        return host;
    }

    private List<DopqConfig.Docker.Mount> mounts() {
        List<DopqConfig.Docker.Mount> mounts = new ArrayList<>();
        for (String item : r.list("mounts")) {
            String[] parts = item.split(":", -1);
            boolean shaped = (parts.length == 2 || parts.length == 3) && parts[0].startsWith("/")
                    && parts[1].startsWith("/") && (parts.length == 2 || parts[2].matches("ro|rw"));
            if (!shaped) {
                r.problem("mounts", "\"" + item + "\" is not a mount; use /host/path:/container/path[:ro|:rw]"
                        + " with absolute paths, comma separated");
                continue;
            }
            Path host = Path.of(parts[0]).normalize();
            if (!Files.exists(host)) {
                r.problem("mounts", "host path \"" + host + "\" of \"" + item + "\" does not exist; create it or"
                        + " remove the mount");
                continue;
            }
            mounts.add(new DopqConfig.Docker.Mount(host, parts[1], parts.length == 3 && parts[2].equals("ro")));
        }
        return mounts;
    }

    DopqConfig.Users users() {
        r.section("users");
        return new DopqConfig.Users(userList("valid_executors"), userList("admins"),
                r.optionalPath("dopq_database"), uids(), quotas());
    }

    /** {@code max_gpus = 2} for everyone, {@code max_gpus.ana = 4} for one user; blank or none = no cap. */
    private Quotas quotas() {
        Quotas.Limits defaults = Quotas.Limits.NONE;
        Map<String, Quotas.Limits> perUser = new java.util.TreeMap<>();
        for (Quotas.Field field : Quotas.Field.values()) {
            String text = r.text(field.key());
            if (!text.isEmpty()) {
                Number value = quotaValue(r.origin(field.key()), field, text);
                // a default of none is the same as no default
                defaults = field.with(defaults, value == null || value.doubleValue() >= Quotas.UNLIMITED ? null
                        : value);
            }
            r.perUser(field.key()).forEach((user, setting) -> {
                if (!USER.matcher(user).matches()) {
                    r.problemAt(setting.origin(), "\"" + user + "\" is not a user name; write " + field.key()
                            + ".NAME with letters, digits, '_' or '-'");
                    return;
                }
                Number value = quotaValue(setting.origin(), field, setting.value());
                if (value != null) {
                    perUser.put(user, field.with(perUser.getOrDefault(user, Quotas.Limits.NONE), value));
                }
            });
        }
        return new Quotas(defaults, perUser);
    }

    private Number quotaValue(String origin, Quotas.Field field, String text) {
        Number value = field.parse(text);
        if (value == null) {
            r.problemAt(origin, "\"" + text + "\" is not a quota; use " + field.allowed());
        }
        return value;
    }


    /** {@code name:uid[:gid]} items: the host account a user's jobs run as. Root (uid or gid 0) is never one. */
    private Map<String, ContainerUser> uids() {
        Map<String, ContainerUser> uids = new LinkedHashMap<>();
        for (String item : r.list("uids")) {
            int colon = item.indexOf(':');
            String name = colon < 0 ? "" : item.substring(0, colon).toLowerCase(Locale.ROOT);
            String numbers = colon < 0 ? "" : item.substring(colon + 1);
            // without a gid, the group of the same number
            ContainerUser ids = ContainerUser.parse(numbers, 0);
            if (ids != null && !numbers.contains(":")) {
                ids = new ContainerUser(ids.uid(), ids.uid());
            }
            if (!USER.matcher(name).matches() || ids == null) {
                r.problem("uids", "\"" + item + "\" is not a user's uid; use name:uid or name:uid:gid like ana:1001"
                        + " or ana:1001:100, comma separated");
            } else if (ids.root()) {
                r.problem("uids", "\"" + item + "\" gives root's uid or gid; jobs never run as root, use the"
                        + " user's own uid");
            } else if (uids.putIfAbsent(name, ids) != null) {
                r.problem("uids", "user \"" + name + "\" is listed more than once; keep one");
            }
        }
        return uids;
    }

    private List<String> userList(String key) {
        List<String> names = new ArrayList<>();
        for (String item : r.list(key)) {
            String name = item.toLowerCase(Locale.ROOT);
            if (!USER.matcher(name).matches()) {
                r.problem(key, "\"" + item + "\" is not a user name; use letters, digits, '_' or '-' (up to"
                        + " 32, starting with a letter or digit), comma separated");
            } else if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    DopqConfig.Api api() {
        r.section("api");
        String host = r.text("host");
        if (host.isEmpty() || !HOST.matcher(host).matches()) {
            r.problem("host", (host.isEmpty() ? "has no value" : "\"" + host + "\" is not an address")
                    + "; use 127.0.0.1 (this machine only), 0.0.0.0 (all interfaces) or an address of this host");
            host = ConfigSchema.defaultValue("api", "host");
        }
        String hostname = r.text("hostname");
        int port = (int) r.wholeNumber("port", 1, 65535);
        boolean tls = r.bool("tls");
        boolean clientAuth = r.bool("client_auth");
        Path keystore = store("keystore", tls, "tls = yes");
        Path truststore = store("truststore", clientAuth, "client_auth = yes");
        if (clientAuth && !tls) {
            r.problem("client_auth", "needs tls = yes; turn tls on or set client_auth = no");
        }
        return new DopqConfig.Api(host, port, hostname.isEmpty() ? host : hostname, r.bool("anonymous_read"), tls,
                keystore, blankToNull(r.text("keystore_password")), truststore,
                blankToNull(r.text("truststore_password")), clientAuth,
                (int) r.wholeNumber("max_connections", 1, 10_000), (int) r.wholeNumber("max_sessions", 1, 1000),
                r.duration("idle_timeout", false));
    }

    DopqConfig.Log log() {
        r.section("log");
        return new DopqConfig.Log(r.choice("level", List.of("error", "warn", "info", "debug", "trace")));
    }

    private Path store(String key, boolean required, String because) {
        Path path = r.optionalPath(key);
        if (path == null && required) {
            r.problem(key, "is required when " + because + "; give the path of a PKCS12 or JKS key store");
        } else if (path != null && !Files.isRegularFile(path)) {
            r.problem(key, "\"" + path + "\" does not exist; give the path of a PKCS12 or JKS key store");
        }
        return path;
    }

    DopqConfig.Backend backend(DopqConfig.Paths paths) {
        r.section("backend");
        String kind = r.choice("kind", List.of("docker", "slurm"));
        r.section("slurm");
        String partition = r.text("partition");
        if (!partition.isEmpty() && !NETWORK.matcher(partition).matches()) {
            r.problem("partition", "\"" + partition + "\" is not a partition name; leave it blank for the"
                    + " cluster's default or use a name sinfo lists");
        }
        Path conf = r.optionalPath("conf");
        if (conf != null && !Files.isRegularFile(conf)) {
            r.problem("conf", "\"" + conf + "\" does not exist; leave it blank for the system's slurm.conf or give"
                    + " the path of one");
        }
        Path shared = r.optionalPath("shared");
        String dockerHost = r.text("docker_host");
        if (!dockerHost.isEmpty() && !dockerHost.matches("(unix|tcp)://\\S+")) {
            r.problem("docker_host", "\"" + dockerHost + "\" is not a Docker engine address; use"
                    + " unix:///var/run/docker.sock, tcp://HOST:2376 or leave it blank for each node's default");
        }
        return new DopqConfig.Backend(kind, new DopqConfig.Slurm(blankToNull(partition), conf,
                shared == null ? paths.state().resolve("slurm") : shared, r.duration("poll", false),
                blankToNull(dockerHost)));
    }

    private static String blankToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
