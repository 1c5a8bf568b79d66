package dev.dopq.server.backend.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dopq.container.EngineUnavailableException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Slurm commands ({@code sbatch}, {@code scontrol}, {@code scancel}, {@code squeue --json},
 * {@code sinfo --json}) as the submit host has them: the machine's slurm.conf and munge, or {@code [slurm] conf}.
 * The CLI with {@code --parsable}/{@code --json} is the surface that stays put between releases (slurmrestd's
 * paths carry the plugin version), and it needs nothing beyond what a submit host already runs.
 */
public class SlurmCommands {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** What a command printed and how it exited. */
    public record Result(int code, String out, String err) {
        public boolean ok() {
            return code == 0 && !err.contains("error:");
        }

        /** The first line of stderr (or stdout), for messages. */
        public String firstLine() {
            String text = err.isBlank() ? out : err;
            String line = text.strip();
            int nl = line.indexOf('\n');
            return nl < 0 ? line : line.substring(0, nl);
        }
    }

    /**
     * A Slurm job as squeue reports it. Times are null when Slurm has none (0). {@code gpus}: the node-local GPU
     * indices it holds, per node.
     */
    public record SlurmJob(String id, String name, String comment, String state, String reason, String nodes,
                           Instant startTime, Instant endTime, Integer exitCode, Map<String, List<Integer>> gpus) {
    }

    /** A node as sinfo reports it: GPUs it has and how many are allocated. */
    public record SlurmNode(String name, String state, List<String> flags, int gpus, int gpusUsed, String reason) {
    }

    private final Path conf;

    /** @param conf the slurm.conf to use, or null for the system's */
    public SlurmCommands(Path conf) {
        this.conf = conf;
    }

    /** Runs a Slurm command; a command that cannot be run at all is an {@link EngineUnavailableException}. */
    public Result run(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (conf != null) {
            pb.environment().put("SLURM_CONF", conf.toString());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new EngineUnavailableException("cannot run " + command.get(0) + ": " + e.getMessage()
                    + " (is slurm-client installed?)", e);
        }
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        try {
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new EngineUnavailableException(command.get(0) + " did not answer within " + TIMEOUT, null);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new EngineUnavailableException(command.get(0) + " was interrupted", e);
        }
        return new Result(p.exitValue(), out, err.join());
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Every job the controller still knows (squeue --json lists all; 22.05 ignores --jobs with --json). */
    public List<SlurmJob> jobs() {
        JsonNode root = json(List.of("squeue", "--json", "--states=all"));
        List<SlurmJob> jobs = new ArrayList<>();
        for (JsonNode j : root.path("jobs")) {
            jobs.add(new SlurmJob(j.path("job_id").asText(), j.path("name").asText(), j.path("comment").asText(),
                    j.path("job_state").asText(), j.path("state_reason").asText(), j.path("nodes").asText(),
                    time(j.path("start_time")), time(j.path("end_time")),
                    j.path("exit_code").isInt() ? j.path("exit_code").asInt() : null, gpus(j)));
        }
        return jobs;
    }

    /** Every node of the cluster (or of {@code partition} when given). */
    public List<SlurmNode> nodes(String partition) {
        List<String> cmd = new ArrayList<>(List.of("sinfo", "--json"));
        if (partition != null) {
            cmd.add("--partition=" + partition);
        }
        JsonNode root = json(cmd);
        List<SlurmNode> nodes = new ArrayList<>();
        for (JsonNode n : root.path("nodes")) {
            List<String> flags = new ArrayList<>();
            n.path("state_flags").forEach(f -> flags.add(f.asText()));
            nodes.add(new SlurmNode(n.path("name").asText(), n.path("state").asText(), flags,
                    Gres.count(n.path("gres").asText()), Gres.count(n.path("gres_used").asText()),
                    n.path("reason").asText()));
        }
        return nodes;
    }

    /** gres_detail lists one entry per allocated node, in the order of job_resources' allocated nodes. */
    private static Map<String, List<Integer>> gpus(JsonNode job) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        JsonNode detail = job.path("gres_detail");
        JsonNode nodes = job.path("job_resources").path("allocated_nodes");
        for (int i = 0; i < detail.size(); i++) {
            String node = nodes.has(i) ? nodes.get(i).path("nodename").asText() : job.path("nodes").asText();
            List<Integer> idx = Gres.indices(detail.get(i).asText());
            if (!idx.isEmpty()) {
                out.put(node, idx);
            }
        }
        return out;
    }

    private JsonNode json(List<String> command) {
        Result r = run(command);
        if (r.code() != 0) {
            throw new EngineUnavailableException(command.get(0) + " failed: " + r.firstLine(), null);
        }
        try {
            return JSON.readTree(r.out());
        } catch (IOException e) {
            throw new EngineUnavailableException(command.get(0) + " printed no JSON: " + e.getMessage(), e);
        }
    }

    private static Instant time(JsonNode n) {
        long s = n.asLong(0);
        return s <= 0 ? null : Instant.ofEpochSecond(s);
    }
}
