package dev.dopq.container;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads DoPQ's {@code run_params} (docker-py {@code containers.run} keyword arguments) through an allow-list:
 * nothing is passed to Docker as is, and everything that would widen a container's reach is refused by name.
 */
final class RunParamsReader {

    /** Accepted and ignored: the queue decides these itself. */
    private static final Set<String> IGNORED = Set.of("stdin_open", "tty", "detach", "auto_remove", "remove", "name");
    private static final Set<String> HONOURED = Set.of("command", "entrypoint", "environment", "working_dir",
            "shm_size", "user", "mem_limit", "nano_cpus", "cpu_count", "network_mode", "network", "pid_mode",
            "ipc_mode");
    private static final Map<String, String> REFUSED = Map.ofEntries(
            Map.entry("privileged", "containers never run privileged"),
            Map.entry("devices", "GPUs are assigned by the queue from num_gpus"),
            Map.entry("device_requests", "GPUs are assigned by the queue from num_gpus"),
            Map.entry("runtime", "GPUs are assigned by the queue from num_gpus"),
            Map.entry("volumes", "host folders are mounted only as the admin configures"),
            Map.entry("mounts", "host folders are mounted only as the admin configures"),
            Map.entry("binds", "host folders are mounted only as the admin configures"),
            Map.entry("cap_add", "containers get no extra privileges"),
            Map.entry("security_opt", "containers get no extra privileges"),
            Map.entry("userns_mode", "containers get no extra privileges"),
            Map.entry("sysctls", "containers get no extra privileges"));
    private static final Pattern CONTAINER_USER = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?");

    private final SpecFields f;
    private final SpecPolicy policy;

    RunParamsReader(SpecFields fields, SpecPolicy policy) {
        this.f = fields;
        this.policy = policy;
    }

    RunParams read(JsonNode params) {
        if (SpecFields.absent(params)) {
            return RunParams.NONE;
        }
        if (!params.isObject()) {
            f.problem("run_params must be an object, got " + SpecFields.shown(params));
            return RunParams.NONE;
        }
        checkKeys(params);
        return new RunParams(
                f.command(params.get("command"), "run_params command"),
                f.command(params.get("entrypoint"), "run_params entrypoint"),
                f.env(params.get("environment"), "run_params environment", true),
                workingDir(f, params.get("working_dir"), "run_params working_dir"),
                containerUser(params.get("user")),
                f.bytes(params.get("shm_size"), "run_params shm_size"),
                f.bytes(params.get("mem_limit"), "run_params mem_limit"),
                cpus(params),
                hostNetwork(params),
                hostMode(params, "pid_mode", policy.allowHostPid()));
    }

    private void checkKeys(JsonNode params) {
        params.properties().forEach(e -> {
            String key = e.getKey();
            String why = REFUSED.get(key);
            if (key.equals("runtime") && e.getValue().isTextual() && e.getValue().asText().equals("nvidia")) {
                return; // DoPQ configs name the nvidia runtime; the queue gives GPU access itself
            }
            if (why != null && isSet(e.getValue())) {
                f.problem("run_params key \"" + key + "\" is not allowed: " + why);
            } else if (why == null && !HONOURED.contains(key) && !IGNORED.contains(key)) {
                f.problem("run_params key \"" + key + "\" is not allowed");
            }
        });
        JsonNode ipc = params.get("ipc_mode");
        if (isSet(ipc) && !(ipc.isTextual() && (ipc.asText().equals("private") || ipc.asText().equals("shareable")))) {
            f.problem("run_params ipc_mode " + SpecFields.shown(ipc)
                    + " is not allowed; use shm_size (for example \"8g\") for a larger /dev/shm");
        }
    }

    /** A refused key whose value asks for nothing ({@code false}, {@code []}, {@code ""}) does no harm. */
    private static boolean isSet(JsonNode v) {
        if (SpecFields.absent(v)) {
            return false;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual()) {
            return !v.asText().isEmpty();
        }
        return !v.isContainerNode() || v.size() > 0;
    }

    static String workingDir(SpecFields f, JsonNode v, String field) {
        String dir = f.text(v, field);
        if (dir != null && (!dir.startsWith("/") || dir.indexOf('\0') >= 0)) {
            f.problem(field + " must be an absolute path, got " + SpecFields.shown(v));
            return null;
        }
        return dir;
    }

    /**
     * A user other than the default. Root (user or group) is refused unless the engine remaps it to an unprivileged
     * host uid; so are names then, since a name is looked up in the image's own {@code /etc/passwd}, which may say
     * anything.
     */
    private String containerUser(JsonNode v) {
        String user = v != null && v.isIntegralNumber() ? v.asText() // docker-py accepts a uid as a number
                : f.text(v, "run_params user");
        if (user == null) {
            return null;
        }
        if (!CONTAINER_USER.matcher(user).matches()) {
            f.problem("run_params user must be a name or uid[:gid], got " + SpecFields.shown(v));
            return null;
        }
        if (policy.rootAllowed()) {
            return user;
        }
        if (ContainerUser.namesRoot(user)) {
            f.problem("run_params user " + SpecFields.shown(v) + " is not allowed: jobs never run as root on this"
                    + " machine; leave user out (the job runs as your own uid) or give a non-root uid:gid");
            return null;
        }
        if (ContainerUser.parse(user, 1) == null) {
            f.problem("run_params user " + SpecFields.shown(v) + " is not allowed: give a numeric uid or uid:gid"
                    + " (a name is looked up in the image and could be root)");
            return null;
        }
        return user;
    }

    private Double cpus(JsonNode params) {
        Long nano = f.count(params.get("nano_cpus"), "run_params nano_cpus");
        Long count = f.count(params.get("cpu_count"), "run_params cpu_count");
        return f.either("run_params nano_cpus", nano == null ? null : nano / 1e9,
                "run_params cpu_count", count == null ? null : count.doubleValue());
    }

    private boolean hostNetwork(JsonNode params) {
        boolean byMode = hostMode(params, "network_mode", policy.allowHostNetwork());
        boolean byName = hostMode(params, "network", policy.allowHostNetwork());
        return byMode || byName;
    }

    /**
     * Reads a namespace mode where only "host" means something to us: "host" is taken when the policy allows it;
     * the engine's default ("", "default", "bridge" for networks) is accepted; anything else is refused.
     */
    private boolean hostMode(JsonNode params, String key, boolean hostAllowed) {
        String field = "run_params " + key;
        String mode = f.text(params.get(key), field);
        if (mode == null || mode.isEmpty() || mode.equals("default") || !key.equals("pid_mode") && mode.equals("bridge")) {
            return false;
        }
        if (mode.equals("host") && hostAllowed) {
            return true;
        }
        String because = mode.equals("host") ? " on this machine" : "; only the admin's configuration is used";
        f.problem(field + " \"" + mode + "\" is not allowed" + because);
        return false;
    }
}
