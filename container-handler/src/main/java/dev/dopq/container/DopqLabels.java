package dev.dopq.container;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The labels every dopq container carries, so a restarted server can find and re-adopt its containers. */
public final class DopqLabels {

    /** The job id; the key to list and subscribe by. */
    public static final String JOB = "dopq.job";
    /** The submitting user. */
    public static final String USER = "dopq.user";
    /** The GPUs the job holds, joined by "," (empty for CPU-only jobs). */
    public static final String GPUS = "dopq.gpus";

    private DopqLabels() {
    }

    /** The labels of a job's container. */
    public static Map<String, String> forJob(String jobId, String user, List<String> gpuIds) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(JOB, jobId);
        labels.put(USER, user);
        labels.put(GPUS, String.join(",", gpuIds));
        return labels;
    }
}
