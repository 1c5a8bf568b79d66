package dev.dopq.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a {@code container_config.json} that may carry a {@code jobs} list: several jobs of one user from one
 * image, e.g. the steps {@code prep -> train -> eval} of a pipeline. The keys at the top level are defaults for
 * every entry; an entry's own key wins, except that {@code env} merges by variable and {@code run_params} by
 * key (see {@link EntryDefaults}). Lists ({@code command}, {@code after}, ...) are replaced, never joined. {@code after} / {@code after_any} may name other entries.
 * A file without {@code jobs} is one job, read by {@link JobSpecParser}.
 */
public final class JobListParser {

    /** Most entries a {@code jobs} list may have. */
    public static final int MAX_JOBS = 100;
    /** The key of the list. */
    public static final String JOBS = "jobs";
    /** Keys of the one image all jobs of a zip share: at the top level only. */
    private static final List<String> IMAGE_KEYS = List.of("build_flag", "image", "image_file");
    /** Keys that make a job array, which a list does not combine with. */
    private static final List<String> ARRAY_KEYS = List.of("array", "max_parallel");

    private JobListParser() {
    }

    /**
     * Parses and validates the jobs of a config file.
     *
     * @throws SpecRejectedException with every problem found (joined by {@code "; "}), or with the cycle the
     *                               entries' references form
     */
    public static JobList parse(String json, SpecPolicy policy) {
        JsonNode root = JobSpecParser.readTree(json);
        if (!root.has(JOBS)) {
            return JobList.single(JobSpecParser.parse(root, policy));
        }
        SpecFields top = new SpecFields();
        checkTopKeys(root, top);
        List<ObjectNode> entries = entries(root.get(JOBS), top);
        Set<String> problems = new LinkedHashSet<>(top.problems());
        if (entries.isEmpty()) {
            throw new SpecRejectedException(String.join("; ", problems));
        }
        ObjectNode defaults = ((ObjectNode) root).deepCopy();
        defaults.remove(JOBS);
        List<JobSpec> specs = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            ObjectNode entry = entries.get(i);
            SpecFields f = new SpecFields();
            checkEntryKeys(entry, f);
            JobSpec spec = JobSpecParser.read(EntryDefaults.merged(defaults, entry), policy, f);
            String label = label(entry, i);
            f.problems().forEach(p -> problems.add(label + ": " + p));
            specs.add(spec);
        }
        if (problems.isEmpty()) {
            oneUserAndDistinctNames(specs, problems);
        }
        if (!problems.isEmpty()) {
            throw new SpecRejectedException(String.join("; ", problems));
        }
        return JobOrder.of(specs);
    }

    private static void checkTopKeys(JsonNode root, SpecFields f) {
        ObjectNode rest = ((ObjectNode) root).deepCopy();
        rest.remove(JOBS);
        JobSpecParser.checkKeys(rest, f);
        if (ARRAY_KEYS.stream().anyMatch(root::has)) {
            f.problem(arrayRefusal());
        }
    }

    private static void checkEntryKeys(ObjectNode entry, SpecFields f) {
        ObjectNode own = entry.deepCopy();
        own.remove(JOBS);
        JobSpecParser.checkKeys(own, f);
        if (entry.has(JOBS)) {
            f.problem("an entry cannot hold its own \"jobs\" list");
        }
        for (String key : IMAGE_KEYS) {
            if (entry.has(key)) {
                f.problem(key + " belongs at the top level: all jobs of a zip share one image");
            }
        }
        if (ARRAY_KEYS.stream().anyMatch(entry::has)) {
            f.problem(arrayRefusal());
        }
    }

    private static String arrayRefusal() {
        return "\"array\" and \"max_parallel\" cannot be combined with \"jobs\"; submit the array as a zip of its own";
    }

    private static List<ObjectNode> entries(JsonNode list, SpecFields f) {
        if (list == null || !list.isArray()) {
            f.problem("jobs must be a list of job configs [{...}, {...}], got "
                    + (list == null ? "null" : SpecFields.shown(list)));
            return List.of();
        }
        if (list.isEmpty()) {
            f.problem("jobs is empty; list at least one job or remove \"jobs\"");
            return List.of();
        }
        if (list.size() > MAX_JOBS) {
            f.problem("jobs lists " + list.size() + " jobs; at most " + MAX_JOBS);
            return List.of();
        }
        List<ObjectNode> entries = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof ObjectNode o) {
                entries.add(o);
            } else {
                f.problem("jobs entry " + (i + 1) + " must be a job config {...}, got " + SpecFields.shown(list.get(i)));
            }
        }
        return entries.size() == list.size() ? entries : List.of();
    }

    /** {@code jobs entry "train"}, or {@code jobs entry 2} when the entry names itself in no usable way. */
    private static String label(ObjectNode entry, int index) {
        JsonNode name = entry.get("name");
        return name != null && name.isTextual() && !name.asText().isBlank()
                ? "jobs entry \"" + name.asText() + "\"" : "jobs entry " + (index + 1);
    }

    private static void oneUserAndDistinctNames(List<JobSpec> specs, Set<String> problems) {
        String user = specs.get(0).user();
        Set<String> names = new HashSet<>();
        for (JobSpec spec : specs) {
            if (!spec.user().equals(user)) {
                problems.add("jobs entry \"" + spec.name() + "\": executor_name \"" + spec.user() + "\" differs from \""
                        + user + "\"; all jobs of a zip run for one user");
            }
            if (!names.add(spec.name())) {
                problems.add("jobs: two entries are named \"" + spec.name() + "\"; each entry needs a name of its own"
                        + " (an entry without \"name\" takes the top level's)");
            }
        }
    }
}
