package dev.dopq.server.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * {@code /metrics}: OpenMetrics when the scraper's Accept header asks for it, else the Prometheus text format.
 * Read-only and without login, like any Prometheus target: bind {@code [web] host} to where Prometheus can reach.
 */
public final class MetricsPage implements HttpHandler {
    private final Supplier<MetricSnapshots> scrape;
    private final ExpositionFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();
    private final ExpositionFormatWriter text = PrometheusTextFormatWriter.create();

    public MetricsPage(Supplier<MetricSnapshots> scrape) {
        this.scrape = scrape;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        if (!Http.exactly(exchange, "/metrics") || !Http.method(exchange, "GET", "HEAD")) {
            return;
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        ExpositionFormatWriter writer = openMetrics.accepts(accept) ? openMetrics : text;
        ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
        writer.write(out, scrape.get());
        Http.send(exchange, 200, writer.getContentType(), out.toByteArray());
    }
}
