package dev.dopq.server.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dopq.server.core.PenaltyPolicy;
import dev.dopq.server.gpu.GpuDevice;
import dev.dopq.server.service.Jobs;
import dev.dopq.server.store.InMemoryJobStore;
import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/grafana/dopq.json asks only for metrics dopq exports, or dcgm-exporter's listed here. */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "dopq.json");
    /** dcgm-exporter's metrics the dashboard uses (with the hpc_job label from the mapping dir). */
    private static final Set<String> DCGM = Set.of("DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_DEV_FB_USED");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan");
    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*\\}");
    private static final Pattern GROUPINGS = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern RANGES = Pattern.compile("\\[[^\\]]*\\]");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");

    /** Metric names in a PromQL expression: identifiers that are not functions, keywords or label names. */
    static Set<String> metricNames(String expr) {
        String e = STRINGS.matcher(expr).replaceAll("\"\"");
        e = MATCHERS.matcher(e).replaceAll(" ");
        e = GROUPINGS.matcher(e).replaceAll(" ");
        e = RANGES.matcher(e).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(e);
        while (m.find()) {
            String word = m.group();
            boolean function = e.substring(m.end()).stripLeading().startsWith("(");
            boolean number = m.start() > 0 && Character.isDigit(e.charAt(m.start() - 1));
            if (!function && !number && !PROMQL_WORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }

    private static List<String> expressions() throws IOException {
        JsonNode root = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> out = new ArrayList<>();
        root.findValues("expr").forEach(n -> out.add(n.asText()));
        root.path("templating").path("list").forEach(v -> {
            if (v.path("query").has("query")) {
                out.add(v.path("query").path("query").asText().replaceAll("label_values\\(([^,]+),.*\\)", "$1"));
            }
        });
        return out;
    }

    private static Set<String> exported() {
        MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
        DopqMetrics metrics = new DopqMetrics(clock, "test");
        metrics.watch(new MetricsSources(new Jobs(new InMemoryJobStore()),
                new FixedQueueView(List.of(GpuDevice.declared("0"))), PenaltyPolicy.usage(Duration.ofHours(24), 0.1),
                clock, "gpu1"));
        return metrics.names();
    }

    @Test
    void every_metric_in_the_dashboards_expressions_is_exported_by_dopq_or_listed_from_dcgm() throws IOException {
        Set<String> known = new TreeSet<>(exported());
        known.addAll(DCGM);
        List<String> exprs = expressions();

        assertThat(exprs).hasSizeGreaterThan(15);
        for (String expr : exprs) {
            assertThat(metricNames(expr)).as(expr).isNotEmpty().isSubsetOf(known);
        }
    }

    @Test
    void the_dashboard_covers_queue_waits_gpus_per_user_fair_share_and_dcgm_utilisation_per_job()
            throws IOException {
        Set<String> used = new TreeSet<>();
        expressions().forEach(e -> used.addAll(metricNames(e)));

        assertThat(used).contains("dopq_jobs", "dopq_job_wait_seconds_bucket", "dopq_user_gpus_in_use",
                "dopq_user_penalty", "DCGM_FI_DEV_GPU_UTIL", "dopq_gpu_job_info");
    }

    @Test
    void the_check_finds_names_and_would_catch_a_misspelt_one() {
        assertThat(metricNames("sum by (user) (rate(dopq_jobs_finshed_total{user=~\"a.*\"}[5m])) / 3600"))
                .containsExactly("dopq_jobs_finshed_total");
        assertThat(metricNames("DCGM_FI_DEV_GPU_UTIL * on (gpu, hostname) group_left (job) dopq_gpu_job_info"))
                .containsExactly("DCGM_FI_DEV_GPU_UTIL", "dopq_gpu_job_info");
        assertThat(exported()).doesNotContain("dopq_jobs_finshed_total");
    }
}
