package dev.dopq.server.backend.slurm;

import dev.dopq.container.ContainerRuntimeException;
import dev.dopq.container.ContainerSpec;
import dev.dopq.container.EngineUnavailableException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The sbatch command of one attempt, and what sbatch's answer means. */
final class Submission {
    private static final Pattern ID = Pattern.compile("^(\\d+)");
    private static final List<String> UNREACHABLE = List.of("Unable to contact slurm controller", "Socket timed out",
            "Connection refused", "Zero Bytes were transmitted", "Unable to establish");

    private Submission() {
    }

    /**
     * Held ({@code --hold}: released by start), not requeued by Slurm ({@code --no-requeue}: a lost run comes back
     * to dopq's queue, whose fair share decides what runs next), exactly the job's GPUs, memory, CPUs and a time
     * limit, named after the run and commented with the dopq job id.
     */
    static List<String> command(ContainerSpec spec, Path run, String partition, Duration timeLimit, String comment) {
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable", "--hold", "--no-requeue",
                "--job-name=" + spec.name(), "--comment=" + comment, "--output=" + run.resolve("slurm.out"),
                "--chdir=" + run));
        if (partition != null) {
            cmd.add("--partition=" + partition);
        }
        if (!spec.gpuIds().isEmpty()) {
            cmd.add("--gres=gpu:" + spec.gpuIds().size());
        }
        if (spec.memoryBytes() > 0) {
            cmd.add("--mem=" + Math.max(1, (spec.memoryBytes() + (1 << 20) - 1) >> 20) + "M");
        }
        cmd.add("--cpus-per-task=" + Math.max(1, (int) Math.ceil(spec.cpus())));
        if (timeLimit != null) {
            cmd.add("--time=" + Math.max(1, (timeLimit.toSeconds() + 59) / 60));
        }
        cmd.add(run.resolve("job.sh").toString());
        return cmd;
    }

    /** The Slurm job id in sbatch's {@code --parsable} answer ({@code 42} or {@code 42;cluster}). */
    static String jobId(String out) {
        Matcher m = ID.matcher(out.strip());
        if (!m.find()) {
            throw new ContainerRuntimeException("sbatch printed no job id: " + out.strip(), null);
        }
        return m.group(1);
    }

    /** A refused submission: unavailable when the controller did not answer (worth retrying), else refused. */
    static ContainerRuntimeException refused(String name, SlurmCommands.Result r) {
        String line = r.firstLine();
        if (UNREACHABLE.stream().anyMatch(line::contains)) {
            return new EngineUnavailableException("the Slurm controller does not answer: " + line, null);
        }
        return new ContainerRuntimeException("Slurm refused " + name + ": " + line.replaceFirst("^sbatch: error: ", ""),
                null);
    }
}
