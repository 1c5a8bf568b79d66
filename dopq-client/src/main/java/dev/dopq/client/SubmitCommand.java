package dev.dopq.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.dopq.api.ApiLimits;
import dev.dopq.api.DopqSession;
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
        "Submit a job: a folder with a Dockerfile (zipped for you) or a ready zip. Prints the job id.",
        "Without a container_config.json in the folder, one is made from --name, --gpus, --memory, --image "
                + "and --command."})
final class SubmitCommand extends SessionCommand {
    static final String CONFIG = "container_config.json";
    private static final Pattern ARRAY = Pattern.compile("\\d+(-\\d+(:\\d+)?)?(,\\d+(-\\d+(:\\d+)?)?)*");
    private static final Pattern MEMORY = Pattern.compile("\\d+(\\.\\d+)?[kmgt]?b?", Pattern.CASE_INSENSITIVE);

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

    @Option(names = "--json", description = "Print the submitted job as JSON instead of its id.")
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
                        + " \"array\" or \"gpu_memory\" to its " + CONFIG + " or submit the folder");
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
        if (json) {
            Json.print(ctx.out(), job);
        } else {
            ctx.out().println(job.id());
        }
        return ok();
    }

    private byte[] zipFolder(DopqSession session) throws Exception {
        ContextZip zipper = new ContextZip();
        byte[] zip;
        if (hasConfig(source)) {
            requireNoFlags("the folder has a " + CONFIG + "; edit it instead");
            Path config = configOf(source);
            zip = array == null && after == null && gpuMemory == null ? zipper.zip(source, null, null)
                    : zipper.zip(source, null, null, config, workflowKeys(Files.readAllBytes(config)));
        } else {
            if (image == null && !Files.isRegularFile(source.resolve("Dockerfile"))) {
                throw usage(source + " has no Dockerfile; add one or give --image to run an existing image");
            }
            String user = session.whoami();
            zip = zipper.zip(source, CONFIG, workflowKeys(new JobConfig(jobName(), user, gpus, memory, image,
                    command, image == null).toJson()));
        }
        zipper.skippedLinks().forEach(link -> ctx.err().println("dopq: skipped symbolic link " + link));
        return zip;
    }

    /** The config with --array / --max-parallel / --after / --gpu-memory set. */
    private byte[] workflowKeys(byte[] config) throws IOException {
        if (array == null && after == null && gpuMemory == null) {
            return config;
        }
        java.util.Map<String, Object> keys = new java.util.LinkedHashMap<>();
        keys.put("array", array == null ? null : array.replace(" ", ""));
        keys.put("max_parallel", maxParallel);
        keys.put("after", after == null ? null : after.stream().map(String::strip).toList());
        keys.put("gpu_memory", gpuMemory);
        return ConfigEdit.with(config, keys);
    }

    /** The folder's config: at its root, else in its one subfolder that has one. */
    private static Path configOf(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve(CONFIG))) {
            return dir.resolve(CONFIG);
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(child -> child.resolve(CONFIG)).filter(Files::isRegularFile).sorted()
                    .findFirst().orElseThrow(() -> new NoSuchFileException(dir.resolve(CONFIG).toString()));
        }
    }

    private String jobName() {
        return name != null ? name : source.toAbsolutePath().normalize().getFileName().toString();
    }

    private void requireNoFlags(String why) {
        if (name != null || gpus != null || memory != null || image != null || command != null) {
            throw usage("--name, --gpus, --memory, --image and --command cannot be used here: " + why);
        }
    }

    private static boolean hasConfig(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve(CONFIG))) {
            return true;
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.anyMatch(child -> Files.isRegularFile(child.resolve(CONFIG)));
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
