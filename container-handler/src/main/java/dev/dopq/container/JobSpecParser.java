package dev.dopq.container;

import dev.dopq.docker.Sizes;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a {@code container_config.json} in DoPQ's format (plus our extensions) and checks it against the
 * machine's {@link SpecPolicy}. Every problem found is reported at once, in words the submitting user can act on.
 */
public final class JobSpecParser {

    /** The file name reasons refer to. */
    public static final String FILE_NAME = "container_config.json";

    /** The keys of one job's config. */
    static final Set<String> KNOWN_KEYS = Set.of("name", "executor_name", "num_gpus", "required_memory",
            "build_flag", "num_slots", "run_params", "image", "command", "env", "cpus", "shm_size", "timeout",
            "retries", "image_file", "notify", "array", "max_parallel", "after", "after_any",
            "gpu_memory");
    private static final List<String> NOTIFY_EVENTS = List.of("end", "start", "fail");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern USER = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}");
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JobSpecParser() {
    }

    /**
     * Parses and validates a job spec.
     *
     * @param json   the text of {@code container_config.json}
     * @param policy what this machine allows
     * @return the validated spec
     * @throws SpecRejectedException with every problem found, joined by {@code "; "}
     */
    public static JobSpec parse(String json, SpecPolicy policy) {
        return parse(readTree(json), policy);
    }

    /** {@link #parse(String, SpecPolicy)} of a file already read as an object. */
    static JobSpec parse(JsonNode root, SpecPolicy policy) {
        SpecFields f = new SpecFields();
        checkKeys(root, f);
        JobSpec spec = read(root, policy, f);
        if (!f.problems().isEmpty()) {
            throw new SpecRejectedException(String.join("; ", f.problems()));
        }
        return spec;
    }

    /** Jackson's message without its parser-internal location notes, on one line. */
    static String plain(String message) {
        String m = message == null ? "syntax error" : message;
        m = m.replaceAll("\\s*\\((?:start marker at )?\\[Source:.*?\\]\\)", "");
        m = m.replaceAll("\\s+", " ").strip();
        return m;
    }

    /** The file as a JSON object, or a rejection saying why it is not one. */
    static JsonNode readTree(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json == null ? "" : json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new SpecRejectedException(FILE_NAME + " is not valid JSON" + where + ": " + plain(e.getOriginalMessage()),
                    e);
        }
        if (root == null || root.isMissingNode()) {
            throw new SpecRejectedException(FILE_NAME + " is empty");
        }
        if (!root.isObject()) {
            throw new SpecRejectedException(FILE_NAME + " must hold a JSON object {...}, got " + SpecFields.shown(root));
        }
        return root;
    }

    static void checkKeys(JsonNode root, SpecFields f) {
        root.properties().forEach(e -> {
            String key = e.getKey();
            if (!KNOWN_KEYS.contains(key)) {
                String hint = KeySuggestion.closest(key, KNOWN_KEYS).map(k -> " (did you mean \"" + k + "\"?)").orElse("");
                f.problem("unknown key \"" + key + "\"" + hint);
            }
        });
    }

    /** Reads a job's fields (without checking for unknown keys), recording every problem in {@code f}. */
    static JobSpec read(JsonNode root, SpecPolicy policy, SpecFields f) {
        RunParams run = new RunParamsReader(f, policy).read(root.get("run_params"));
        String image = image(root.get("image"), f);
        String imageFile = imageFile(root.get("image_file"), f);
        Boolean build = f.bool(root.get("build_flag"), "build_flag");
        Long retries = f.count(root.get("retries"), "retries");
        Long shm = f.either("shm_size", f.bytes(root.get("shm_size"), "shm_size"), "run_params shm_size", run.shmBytes());
        Double cpus = f.either("cpus", f.decimal(root.get("cpus"), "cpus"), "run_params cpus", run.cpus());
        boolean buildFlag = build != null ? build : image == null && imageFile == null;
        if (!buildFlag && imageFile == null && image != null && !policy.imageAllowed(image)) {
            f.problem("image \"" + image + "\" is not allowed on this server: only images the admin lists in"
                    + " allowed_images run by name (" + (policy.allowedImages().isEmpty() ? "none are listed"
                    : String.join(", ", policy.allowedImages())) + "); build it from a Dockerfile instead");
        }
        int gpus = gpus(root, policy, f);
        return new JobSpec(name(root.get("name"), f), user(root.get("executor_name"), f), gpus,
                memory(root, run, policy, f), buildFlag,
                image, imageFile,
                f.either("command", f.command(root.get("command"), "command"), "run_params command", run.command()),
                run.entrypoint(), env(root, run, f), run.workingDir(), run.user(),
                cpus == null ? 0 : cpus, shm == null ? 0 : shm, f.duration(root.get("timeout"), "timeout"),
                retries == null ? 0 : (int) Math.min(retries, Integer.MAX_VALUE), run.hostNetwork(), run.hostPid(),
                notify(root.get("notify"), f), array(root.get("array"), f), maxParallel(root, f),
                refs(root.get("after"), "after", f), refs(root.get("after_any"), "after_any", f),
                gpuMemory(root, gpus, policy, f));
    }

    /**
     * {@code "gpu_memory": "10g"}: the job may share its GPU. Only with exactly one GPU (a job on several GPUs
     * would need the same room on each of them at once), and never more than the largest GPU has.
     */
    private static long gpuMemory(JsonNode root, int gpus, SpecPolicy policy, SpecFields f) {
        JsonNode v = root.get("gpu_memory");
        if (SpecFields.absent(v)) {
            return 0;
        }
        Long asked = f.bytes(v, "gpu_memory");
        if (asked == null) {
            return 0;
        }
        if (asked <= 0) {
            f.problem("gpu_memory must be more than 0, like \"10g\"; leave it out to have the GPU to yourself");
            return 0;
        }
        if (policy.maxGpuMemoryBytes() == SpecPolicy.NO_SHARING) {
            f.problem("gpu_memory is not available on this server: its backend gives every job whole GPUs;"
                    + " leave gpu_memory out");
            return 0;
        }
        if (gpus != 1) {
            f.problem("gpu_memory needs \"num_gpus\": 1 (a shared job runs on one GPU), got num_gpus " + gpus);
            return 0;
        }
        if (policy.maxGpuMemoryBytes() > 0 && asked > policy.maxGpuMemoryBytes()) {
            f.problem("gpu_memory " + Sizes.formatBytes(asked) + " is more than the largest GPU here has ("
                    + Sizes.formatBytes(policy.maxGpuMemoryBytes()) + ")");
            return 0;
        }
        return asked;
    }

    /** Most jobs one job may wait for. */
    static final int MAX_REFS = 100;
    private static final java.util.regex.Pattern REF = java.util.regex.Pattern.compile(
            "[0-9]{1,18}|[A-Za-z0-9][A-Za-z0-9._\\[\\]-]{0,79}");

    /** Job ids or names: a list of strings or numbers, or one of them. */
    private static List<String> refs(JsonNode v, String field, SpecFields f) {
        if (SpecFields.absent(v)) {
            return List.of();
        }
        List<JsonNode> items = new java.util.ArrayList<>();
        if (v.isArray()) {
            v.forEach(items::add);
        } else {
            items.add(v);
        }
        List<String> refs = new java.util.ArrayList<>();
        for (JsonNode item : items) {
            String ref = item.isIntegralNumber() || item.isTextual() ? item.asText().strip() : null;
            if (ref == null || !REF.matcher(ref).matches()) {
                f.problem(field + " must list job ids or job names, got " + SpecFields.shown(item));
                return List.of();
            }
            if (!refs.contains(ref)) {
                refs.add(ref);
            }
        }
        if (refs.size() > MAX_REFS) {
            f.problem(field + " names " + refs.size() + " jobs; at most " + MAX_REFS);
            return List.of();
        }
        return refs;
    }

    private static List<Integer> array(JsonNode v, SpecFields f) {
        if (SpecFields.absent(v)) {
            return List.of();
        }
        if (!v.isTextual()) {
            f.problem("array must be a string like \"0-19\", \"0-19:2\" or \"1,4,9\", got " + SpecFields.shown(v));
            return List.of();
        }
        try {
            return ArrayIndexes.parse(v.asText());
        } catch (IllegalArgumentException e) {
            f.problem(e.getMessage());
            return List.of();
        }
    }

    private static int maxParallel(JsonNode root, SpecFields f) {
        Long n = f.count(root.get("max_parallel"), "max_parallel");
        if (n != null && SpecFields.absent(root.get("array"))) {
            f.problem("max_parallel needs an \"array\"; remove it or add one");
        }
        return n == null ? 0 : (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** {@code "notify": "end"} or a list like {@code ["start", "fail"]}; absent means end. */
    private static List<String> notify(JsonNode v, SpecFields f) {
        if (SpecFields.absent(v)) {
            return JobSpec.DEFAULT_NOTIFY;
        }
        List<JsonNode> items = new java.util.ArrayList<>();
        if (v.isArray()) {
            v.forEach(items::add);
        } else {
            items.add(v);
        }
        List<String> events = new java.util.ArrayList<>();
        for (JsonNode item : items) {
            String e = item.isTextual() ? item.asText().toLowerCase(java.util.Locale.ROOT) : null;
            if (e == null || !NOTIFY_EVENTS.contains(e)) {
                f.problem("notify must be end, start or fail, or a list of them like [\"start\", \"end\"], got "
                        + SpecFields.shown(v));
                return JobSpec.DEFAULT_NOTIFY;
            }
            if (!events.contains(e)) {
                events.add(e);
            }
        }
        return events;
    }

    private static String name(JsonNode v, SpecFields f) {
        String name = f.text(v, "name");
        if (SpecFields.absent(v)) {
            f.problem("name is missing");
        } else if (name != null && !NAME.matcher(name).matches()) {
            f.problem("name " + SpecFields.shown(v) + " is not a valid job name; use letters, digits, '.', '_' and '-'"
                    + " (at most 64, starting with a letter or digit)");
        }
        return name == null ? "" : name;
    }

    private static String user(JsonNode v, SpecFields f) {
        String user = f.text(v, "executor_name");
        if (SpecFields.absent(v)) {
            f.problem("executor_name is missing");
            return "";
        }
        String lower = user == null ? "" : user.toLowerCase(Locale.ROOT);
        if (user != null && !USER.matcher(lower).matches()) {
            f.problem("executor_name " + SpecFields.shown(v) + " is not a valid user name; use letters, digits, '_'"
                    + " and '-' (at most 32, starting with a letter or digit)");
        }
        return lower;
    }

    private static int gpus(JsonNode root, SpecPolicy policy, SpecFields f) {
        Long asked = f.count(root.get("num_gpus"), "num_gpus");
        long gpus = SpecFields.absent(root.get("num_gpus")) ? 1 : asked == null ? 0 : asked;
        if (gpus > policy.maxGpus()) {
            String has = policy.maxGpus() == 0 ? "none" : String.valueOf(policy.maxGpus());
            f.problem("asks for " + gpus + (gpus == 1 ? " GPU" : " GPUs") + "; this machine has " + has
                    + (SpecFields.absent(root.get("num_gpus")) ? " (num_gpus defaults to 1; set it to 0)" : ""));
            return 0;
        }
        return (int) gpus;
    }

    private static long memory(JsonNode root, RunParams run, SpecPolicy policy, SpecFields f) {
        Long asked = f.either("required_memory", f.bytes(root.get("required_memory"), "required_memory"),
                "run_params mem_limit", run.memoryBytes());
        long memory = asked == null ? 0 : asked;
        if (policy.hostMemoryBytes() > 0 && memory > policy.hostMemoryBytes()) {
            f.problem("asks for " + Sizes.formatBytes(memory) + " of memory; this machine has "
                    + Sizes.formatBytes(policy.hostMemoryBytes()));
        }
        return memory;
    }

    private static Map<String, String> env(JsonNode root, RunParams run, SpecFields f) {
        Map<String, String> own = f.env(root.get("env"), "env", false);
        Map<String, String> merged = new LinkedHashMap<>(run.env() == null ? Map.of() : run.env());
        if (own != null) {
            own.forEach((k, v) -> {
                String before = merged.put(k, v);
                if (before != null && !before.equals(v)) {
                    f.problem("env " + k + " and run_params environment " + k + " disagree; give only one");
                }
            });
        }
        return merged;
    }

    private static String image(JsonNode v, SpecFields f) {
        String image = f.text(v, "image");
        if (image != null && !IMAGE.matcher(image).matches()) {
            f.problem("image " + SpecFields.shown(v) + " is not a valid image reference");
            return null;
        }
        return image;
    }

    private static String imageFile(JsonNode v, SpecFields f) {
        String file = f.text(v, "image_file");
        if (file == null) {
            return null;
        }
        List<String> parts = List.of(file.split("/", -1));
        if (file.isEmpty() || file.startsWith("/") || file.contains("\\") || file.indexOf('\0') >= 0
                || parts.contains("..") || parts.contains("")) {
            f.problem("image_file must be a relative path inside the zip, got " + SpecFields.shown(v));
            return null;
        }
        return file;
    }
}
