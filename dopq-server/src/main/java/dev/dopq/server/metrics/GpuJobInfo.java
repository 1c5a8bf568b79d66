package dev.dopq.server.metrics;

import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.gpu.GpuDevice;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code dopq_gpu_job_info{gpu, UUID, hostname, job, user} 1}: which job holds which GPU. The one series with a
 * job id label; its GPU labels are dcgm-exporter's, so a PromQL join puts the job next to every DCGM series. Jobs
 * sharing a GPU by {@code gpu_memory} give one series each for the same GPU.
 */
final class GpuJobInfo implements Collector {
    static final String NAME = "dopq_gpu_job";

    private final MetricsSources s;

    GpuJobInfo(MetricsSources sources) {
        this.s = sources;
    }

    @Override
    public MetricSnapshot collect() {
        Map<String, List<Job>> holders = new HashMap<>();
        for (Job j : s.jobs().active().inStates(EnumSet.of(JobState.RUNNING))) {
            j.gpus().forEach(g -> holders.computeIfAbsent(g, k -> new ArrayList<>()).add(j));
        }
        InfoSnapshot.Builder b = InfoSnapshot.builder().name(NAME)
                .help("1 for each GPU held by a running job; labels gpu, UUID, hostname as dcgm-exporter's");
        for (GpuDevice d : s.queue().lastDevices()) {
            for (Job j : holders.getOrDefault(d.id(), List.of())) {
                b.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of(
                        "gpu", d.id(), "UUID", d.uuid() == null ? "" : d.uuid(), "hostname", s.hostname(),
                        "job", Long.toString(j.id()), "user", j.user())).build());
            }
        }
        return b.build();
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }
}
