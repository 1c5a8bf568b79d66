package dev.dopq.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.dopq.api.ApiLimits;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dopq.api.DopqSession;
import dev.dopq.api.ExitCodes;
import dev.dopq.api.JobView;
import dev.dopq.api.Uploads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dopq submit DIR|FILE.zip}: uploads a build context. A folder is zipped with its
 * {@code container_config.json}, or with one made from the flags when it has none; a zip goes as it is.
 */
@Command(name = "submit", description = {
        "Submit a job: a folder with a Dockerfile (zipped for you) or a ready zip. Waits until the job is queued "
                + "or refused, then prints its id; a refusal prints the reason and exits 7.",
        "Without a container_config.json in the folder, one is made from the flags; with one, --name, --gpus, "
                + "--memory, --command, --timeout, --retries, --cpus and --env override its keys (said on stderr)."})
final class SubmitCommand extends SessionCommand {
    static final String CONFIG = "container_config.json";
    /** How often the job is looked at while it is built. */
    static final Duration WAIT_PAUSE = Duration.ofMillis(500);
    private static final Pattern ARRAY = Pattern.compile("\\d+(-\\d+(:\\d+)?)?(,\\d+(-\\d+(:\\d+)?)?)*");
    private static final Pattern MEMORY = Pattern.compile("\\d+(\\.\\d+)?[kmgt]?b?", Pattern.CASE_INSENSITIVE);
    private static final Pattern TIMEOUT = Pattern.compile("\\d+[smhd]?", Pattern.CASE_INSENSITIVE);
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Parameters(paramLabel = "DIR-or-ZIP", description = "Folder with a Dockerfile, or a zip made before.")
    Path source;

    @Option(names = "--name", paramLabel = "NAME", description = "Job name (default: the folder's name).")
    String name;

    @Option(names = "--gpus", paramLabel = "N", description = "GPUs to reserve (default 1; 0 for CPU only).")
    Integer gpus;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Memory limit, e.g. 8g or 512m.")
    String memory;

    @Option(names = "--image", paramLabel = "IMAGE", description = "Run this existing image instead of building.")
    String image;

    @Option(names = "--command", paramLabel = "CMD", description = "Command to run in the container.")
    String command;

    @Option(names = "--timeout", paramLabel = "TIME", description = "Longest run time per attempt: 90m, 2h, or "
            + "seconds.")
    String timeout;

    @Option(names = "--retries", paramLabel = "N", description = "Failed attempts that are run again.")
    Integer retries;

    @Option(names = "--cpus", paramLabel = "N", description = "CPU limit, e.g. 4 or 1.5.")
    Double cpus;

    @Option(names = "--env", paramLabel = "KEY=VALUE", description = "Environment variable (repeatable).")
    Map<String, String> env;

    @Option(names = "--array", paramLabel = "INDEXES",
            description = "Make a job array: one job per index (0-19, 0-19:2 or 1,4,9), each with DOPQ_ARRAY_INDEX; "
                    + "also with the folder's own " + CONFIG + ".")
    String array;

    @Option(names = "--max-parallel", paramLabel = "N", description = "With --array: at most N of its jobs run at once.")
    Integer maxParallel;

    @Option(names = "--after", paramLabel = "ID[,ID]", split = ",",
            description = "Start only after these jobs (ids or names of your jobs) succeeded; if one fails, this job "
                    + "is cancelled. Also with the folder's own " + CONFIG + ".")
    List<String> after;

    @Option(names = "--gpu-memory", paramLabel = "SIZE",
            description = "Share one GPU with other jobs: the GPU memory this job needs, e.g. 10g (needs one GPU). "
                    + "Also with the folder's own " + CONFIG + ".")
    String gpuMemory;

    @Option(names = "--no-wait", description = "Print the id at once, without waiting until the job is queued.")
    boolean noWait;

    @Option(names = "--json", description = "Print the job as JSON (as accepted, or as refused) instead of its id.")
    boolean json;

    SubmitCommand(Context ctx) {
        super(ctx);
    }

    @Override
    void validate() {
        if (gpus != null && gpus < 0) {
            throw usage("--gpus must be 0 or more, not " + gpus);
        }
        if (array != null && !ARRAY.matcher(array.replace(" ", "")).matches()) {
            throw usage("--array: \"" + array + "\" is not a list of indexes; use e.g. 0-19, 0-19:2 or 1,4,9");
        }
        if (maxParallel != null && (maxParallel < 1 || array == null)) {
            throw usage("--max-parallel needs --array and a number of 1 or more");
        }
        if (memory != null && !MEMORY.matcher(memory).matches()) {
            throw usage("--memory: \"" + memory + "\" is not a size; use e.g. 512m, 8g");
        }
        if (gpuMemory != null && !MEMORY.matcher(gpuMemory).matches()) {
            throw usage("--gpu-memory: \"" + gpuMemory + "\" is not a size; use e.g. 10g");
        }
        if (gpuMemory != null && gpus != null && gpus != 1) {
            throw usage("--gpu-memory shares one GPU; use it with --gpus 1 or without --gpus");
        }
        if (timeout != null && !TIMEOUT.matcher(timeout).matches()) {
            throw usage("--timeout: \"" + timeout + "\" is not a duration; use e.g. 90m, 2h or seconds");
        }
        if (retries != null && retries < 0) {
            throw usage("--retries must be 0 or more, not " + retries);
        }
        if (cpus != null && !(cpus > 0)) {
            throw usage("--cpus must be more than 0, not " + cpus);
        }
        if (env != null) {
            env.keySet().stream().filter(k -> !ENV_NAME.matcher(k).matches()).findFirst().ifPresent(k -> {
                throw usage("--env: \"" + k + "\" is not a variable name; use KEY=VALUE");
            });
        }
    }

    private ConfigFlags flags(String defaultName) {
        return new ConfigFlags(name != null ? name : defaultName, gpus, memory, command, timeout, retries, cpus, env);
    }

    @Override
    int run(DopqSession session) throws Exception {
        byte[] zip;
        String fileName;
        if (Files.isDirectory(source)) {
            zip = zipFolder(session);
            fileName = safeFileName(source.toAbsolutePath().normalize().getFileName()) + ".zip";
        } else if (Files.isRegularFile(source)) {
            requireNoFlags("a zip is uploaded as it is");
            if (array != null || after != null || gpuMemory != null) {
                throw usage("--array, --after and --gpu-memory cannot be used with a zip (it is uploaded as it is); add"
                        + " \"array\", \"after\" or \"gpu_memory\" to its " + CONFIG + " or submit the folder");
            }
            zip = Files.readAllBytes(requireSize(source));
            fileName = safeFileName(source.getFileName());
        } else {
            throw new NoSuchFileException(source.toString(), null, "no such folder or zip");
        }
        if (zip.length > ApiLimits.MAX_SUBMIT_BYTES) {
            throw usage(source + " zips to " + Units.bytes(zip.length) + ", more than the server accepts ("
                    + Units.bytes(ApiLimits.MAX_SUBMIT_BYTES) + ")");
        }
        JobView job = Uploads.submit(session, fileName, zip);
        if (!noWait) {
            job = awaitQueued(session, job);
        }
        if (json) {
            Json.print(ctx.out(), job);
        } else if (!refused(job)) {
            ctx.out().println(job.id());
        }
        if (refused(job)) {
            ctx.err().println("dopq: job " + job.id() + " " + job.state().toLowerCase(Locale.ROOT)
                    + (job.reason() == null ? "" : ": " + job.reason()));
            return ExitCodes.NOT_RUN;
        }
        return ok();
    }

    /** Waits while the job is received and built: until it is queued (or runs already), or is refused. */
    private JobView awaitQueued(DopqSession session, JobView submitted) throws Exception {
        JobView[] last = {submitted};
        if (ctx.interactive()) {
            ctx.err().println("dopq: job " + submitted.id() + " received; waiting until it is built and queued"
                    + " (--no-wait does not wait)");
            ctx.err().flush();
        }
        ctx.repeater().repeat(WAIT_PAUSE, () -> {
            if (!last[0].state().equals("RECEIVED") && !last[0].state().equals("BUILDING")) {
                return false;
            }
            last[0] = session.job(submitted.id()).job();
            return last[0].state().equals("RECEIVED") || last[0].state().equals("BUILDING");
        });
        return last[0];
    }

    /** Ended before it could run: rejected, failed to build, or deleted meanwhile. */
    private static boolean refused(JobView job) {
        return job.finishedAt() != null && job.startedAt() == null && !"SUCCEEDED".equals(job.state())
                || "REJECTED".equals(job.state());
    }

    private byte[] zipFolder(DopqSession session) throws Exception {
        ContextZip zipper = new ContextZip();
        byte[] zip;
        Path config = configOf(source);
        String defaultName = source.toAbsolutePath().normalize().getFileName().toString();
        if (config != null) {
            if (image != null) {
                throw usage("--image cannot be used here: the folder has a " + CONFIG
                        + "; set image and build_flag in it instead");
            }
            ConfigFlags flags = new ConfigFlags(name, gpus, memory, command, timeout, retries, cpus, env);
            if (flags.any() || array != null || after != null || gpuMemory != null) {
                zip = zipper.zip(source, source.relativize(config).toString().replace('\\', '/'),
                        workflowKeys(overridden(config, flags)));
            } else {
                zip = zipper.zip(source, null, null);
            }
        } else {
            if (image == null && !Files.isRegularFile(source.resolve("Dockerfile"))) {
                throw usage(source + " has no Dockerfile; add one or give --image to run an existing image");
            }
            String user = session.whoami();
            zip = zipper.zip(source, CONFIG, workflowKeys(
                    new JobConfig(user, image, image == null, flags(defaultName)).toJson()));
        }
        zipper.skippedLinks().forEach(link -> ctx.err().println("dopq: skipped symbolic link " + link));
        return zip;
    }

    /** The folder's config with the flags' keys set; says on stderr which keys had other values. */
    private byte[] overridden(Path config, ConfigFlags flags) throws IOException {
        ObjectNode node = JobConfig.read(Files.readAllBytes(config));
        if (node == null) {
            throw usage(source.relativize(config) + " is not a JSON object; fix it, or submit without flags");
        }
        List<String> replaced = flags.applyTo(node);
        if (!replaced.isEmpty()) {
            ctx.err().println("dopq: flags override " + source.relativize(config) + ": " + String.join(", ",
                    replaced));
        }
        return JobConfig.write(node);
    }

    /** The config with --array / --max-parallel / --after / --gpu-memory set. */
    private byte[] workflowKeys(byte[] config) throws IOException {
        if (array == null && after == null && gpuMemory == null) {
            return config;
        }
        Map<String, Object> keys = new java.util.LinkedHashMap<>();
        keys.put("array", array == null ? null : array.replace(" ", ""));
        keys.put("max_parallel", maxParallel);
        keys.put("after", after == null ? null : after.stream().map(String::strip).toList());
        keys.put("gpu_memory", gpuMemory);
        return ConfigEdit.with(config, keys);
    }

    private void requireNoFlags(String why) {
        if (name != null || gpus != null || memory != null || image != null || command != null || timeout != null
                || retries != null || cpus != null || env != null) {
            throw usage("--name, --gpus, --memory, --image, --command, --timeout, --retries, --cpus and --env "
                    + "cannot be used here: " + why);
        }
    }

    /** The folder's container_config.json: at its root, or in its one subfolder that has one; else null. */
    private static Path configOf(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve(CONFIG))) {
            return dir.resolve(CONFIG);
        }
        try (Stream<Path> children = Files.list(dir)) {
            List<Path> found = children.map(child -> child.resolve(CONFIG)).filter(Files::isRegularFile).toList();
            return found.size() == 1 ? found.get(0) : found.isEmpty() ? null : found.get(0);
        }
    }

    private Path requireSize(Path file) throws IOException {
        if (Files.size(file) > ApiLimits.MAX_SUBMIT_BYTES) {
            throw usage(file + " is larger than the server accepts (" + Units.bytes(ApiLimits.MAX_SUBMIT_BYTES) + ")");
        }
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip")) {
            throw usage(file + " is neither a folder nor a .zip file");
        }
        return file;
    }

    private static String safeFileName(Path name) {
        String cleaned = name == null ? "job" : name.toString().replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.length() > 200 ? cleaned.substring(0, 200) : cleaned;
    }
}
