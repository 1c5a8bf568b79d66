package dev.dopq.server.metrics;

import dev.dopq.container.ContainerRuntime;
import dev.dopq.server.service.Jobs;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.time.Clock;

/**
 * The server's metrics, in a registry of their own (never the library's global one): job, queue, GPU and user
 * figures read at scrape time, counters and histograms fed by job transitions, API latency, engine errors, build
 * info and the JVM's own metrics. {@link #names()} lists every family name, for the Grafana dashboard's test.
 */
public final class DopqMetrics {
    /** API calls: 1 ms ... 30 s. */
    private static final double[] API_BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter engineErrors;
    private final Histogram apiCalls;
    private final JobCounters counters;

    public DopqMetrics(Clock clock, String version) {
        counters = new JobCounters(registry, clock);
        engineErrors = Counter.builder().name("dopq_engine_errors_total")
                .help("Errors of the container engine, by operation and error type")
                .labelNames("operation", "error").register(registry);
        apiCalls = Histogram.builder().name("dopq_api_call_seconds")
                .help("Time the server took to answer API calls, by method")
                .labelNames("method").classicUpperBounds(API_BUCKETS).classicOnly().register(registry);
        Info build = Info.builder().name("dopq_build_info").help("The running dopq: version and Java version")
                .labelNames("version", "java").register(registry);
        build.setLabelValues(version, System.getProperty("java.version", "unknown"));
        JvmMetrics.builder().register(registry);
    }

    /** Starts the gauges read from the running server (call once its parts exist). */
    public void watch(MetricsSources sources) {
        new StateGauges(registry, sources);
        registry.register(new GpuJobInfo(sources));
    }

    /** Feeds the transition counters; add to {@link Jobs} before anything is submitted. */
    public Jobs.Listener jobListener() {
        return counters;
    }

    /** Wraps the engine so that its errors are counted by operation. */
    public ContainerRuntime metered(ContainerRuntime runtime) {
        return new MeteredRuntime(runtime, engineErrors);
    }

    /** Records one API call's duration. */
    public void apiCall(String method, long nanos) {
        apiCalls.labelValues(method).observe(nanos / 1e9);
    }

    public MetricSnapshots scrape() {
        return registry.scrape();
    }

    /** The names of every metric family exported (as the text format writes them, counters with _total). */
    public java.util.Set<String> names() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (var snapshot : scrape()) {
            String name = snapshot.getMetadata().getPrometheusName();
            names.add(name);
            switch (snapshot.getClass().getSimpleName()) {
                case "CounterSnapshot" -> names.add(name + "_total");
                case "InfoSnapshot" -> names.add(name + "_info");
                case "HistogramSnapshot" -> {
                    names.add(name + "_bucket");
                    names.add(name + "_sum");
                    names.add(name + "_count");
                }
                default -> { }
            }
        }
        return names;
    }
}
