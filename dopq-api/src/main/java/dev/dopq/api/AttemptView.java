package dev.dopq.api;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * One run of a job's container; a retried job has several. The running attempt has no finish time yet.
 *
 * @param number     1-based attempt number ({@code dopq logs ID --attempt N})
 * @param gpus       GPU ids the attempt held
 * @param startedAt  when its container started, or null
 * @param finishedAt when it ended, or null while it runs
 * @param exitCode   its container's exit code, or null
 * @param reason     why it ended that way, or null
 * @param logBytes   size of its output log in bytes
 */
public record AttemptView(int number, List<String> gpus, Instant startedAt, Instant finishedAt, Integer exitCode,
                          String reason, long logBytes) implements Serializable {

    private static final long serialVersionUID = 1L;

    public AttemptView {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }
}
