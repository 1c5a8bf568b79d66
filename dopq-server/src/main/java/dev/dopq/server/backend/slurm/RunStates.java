package dev.dopq.server.backend.slurm;

import dev.dopq.container.ContainerStatus;
import dev.dopq.container.RunLostException;
import dev.dopq.server.backend.slurm.SlurmCommands.SlurmJob;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What a run is now, from its exit file (written by the batch step: the truth when present) and Slurm's job
 * state. A held job has not started; a released one runs (also while Slurm still places it); a job that ended
 * with its node ({@code NODE_FAIL}) is lost; one that ended without an exit file ended without an exit code.
 */
final class RunStates {
    private static final Set<String> ACTIVE = Set.of("PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED",
            "REQUEUED", "REQUEUE_FED", "REQUEUE_HOLD", "RESIZING", "SIGNALING", "STAGE_OUT", "STOPPED",
            "RESV_DEL_HOLD");
    private static final Set<String> LOST = Set.of("NODE_FAIL", "BOOT_FAIL");

    private RunStates() {
    }

    static boolean active(String slurmState) {
        return ACTIVE.contains(slurmState);
    }

    /**
     * @param exitNow   the exit file's lines read before Slurm's state
     * @param exitAgain reads them again (the file may have come in between)
     * @param now       the time now
     * @param settle    how long after Slurm ended a job its batch step may still be stopping the container and
     *                  writing the exit file (Slurm shows a cancelled job ended while it signals the step)
     * @return empty when neither Slurm nor the exit file knows the run
     * @throws RunLostException when the run ended with its node
     */
    static Optional<ContainerStatus> status(String name, String id, SlurmJob sj, Map<String, String> labels,
                                            Map<String, String> exitNow, Supplier<Map<String, String>> exitAgain,
                                            Instant now, Duration settle) {
        if (!exitNow.isEmpty()) {
            return Optional.of(ended(name, id, labels, exitNow));
        }
        if (sj == null) {
            return Optional.empty();
        }
        String state = sj.state();
        if ("PENDING".equals(state) && sj.reason().startsWith("JobHeld")) {
            return Optional.of(new ContainerStatus(id, false, null, false, null, null, labels, name));
        }
        if (active(state)) {
            return Optional.of(new ContainerStatus(id, true, null, false, sj.startTime(), null, labels, name));
        }
        if (LOST.contains(state)) {
            String node = sj.nodes().isBlank() ? labels.getOrDefault(BatchScript.NODE_LABEL, "") : sj.nodes();
            throw new RunLostException(id, node, "node " + (node.isEmpty() ? "?" : node) + " failed (Slurm: "
                    + state + ")");
        }
        Map<String, String> exit = exitAgain.get();
        if (!exit.isEmpty()) {
            return Optional.of(ended(name, id, labels, exit));
        }
        Instant end = sj.endTime() != null ? sj.endTime() : now;
        if (now.isBefore(end.plus(settle))) {
            return Optional.of(new ContainerStatus(id, true, null, false, sj.startTime(), null, labels, name));
        }
        return Optional.of(new ContainerStatus(id, false, null, false,
                sj.startTime() != null ? sj.startTime() : end, end, labels, name));
    }

    private static ContainerStatus ended(String name, String id, Map<String, String> labels, Map<String, String> e) {
        Integer code;
        try {
            code = Integer.valueOf(e.getOrDefault("code", "").strip());
        } catch (NumberFormatException ex) {
            code = null;
        }
        Instant finished = instant(e.get("finished"));
        Instant started = instant(e.get("started"));
        return new ContainerStatus(id, false, code, "true".equals(e.getOrDefault("oom", "").strip()),
                started != null && started.isAfter(Instant.EPOCH) ? started : finished, finished, labels, name);
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code n1} and {@code 0,1} as the ids the queue uses: {@code n1:0,n1:1}. */
    static String nodeGpus(String node, String localIndices) {
        if (localIndices == null || localIndices.isBlank()) {
            return "";
        }
        return Arrays.stream(localIndices.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .map(i -> node + ":" + i).collect(Collectors.joining(","));
    }
}
