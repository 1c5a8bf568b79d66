package dev.dopq.server.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Typing of the sections whose values are more than one scalar: [gpu], [docker], [users], [api]. */
final class SectionParsers {
    private static final Pattern GPU_INDEX = Pattern.compile("\\d{1,3}");
    private static final Pattern USER = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern NETWORK = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.:\\[\\]%-]+");
    private static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

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
        List<String> ids = List.of();
        switch (devices.toLowerCase(Locale.ROOT)) {
            case "auto" -> mode = DopqConfig.Gpu.Mode.AUTO;
            case "none" -> mode = DopqConfig.Gpu.Mode.NONE;
            default -> ids = gpuList(devices);
        }
        if (mode == DopqConfig.Gpu.Mode.DECLARED && ids.isEmpty()) {
            mode = DopqConfig.Gpu.Mode.AUTO; // the problem is reported; the default stands in
        }
        return new DopqConfig.Gpu(mode, ids, r.bool("respect_foreign"),
                r.choice("nvidia_runtime", List.of("auto", "yes", "no")));
    }

    private List<String> gpuList(String devices) {
        List<String> ids = r.list("devices");
        boolean valid = !ids.isEmpty() && ids.stream().allMatch(id -> GPU_INDEX.matcher(id).matches())
                && new LinkedHashSet<>(ids).size() == ids.size();
        if (!valid) {
            r.problem("devices", "\"" + devices + "\" is not a GPU list; use auto, none, or indices like 0,1,2");
            return List.of();
        }
        return ids.stream().map(id -> String.valueOf(Integer.parseInt(id))).toList();
    }

    DopqConfig.Docker docker() {
        r.section("docker");
        String network = r.text("network");
        if (!network.isEmpty() && !NETWORK.matcher(network).matches()) {
            r.problem("network", "\"" + network + "\" is not a network name; leave it blank for the engine's"
                    + " default, or use none, bridge or the name of a network made with docker network create");
        }
        return new DopqConfig.Docker(dockerHost(), network.isEmpty() ? null : network, mounts(),
                r.optionalPath("output"), r.bool("allow_host_network"), r.bool("allow_host_pid"),
                r.optionalSize("default_memory", "no limit"));
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
                r.optionalPath("dopq_database"));
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
                blankToNull(r.text("truststore_password")), clientAuth);
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

    private static String blankToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
