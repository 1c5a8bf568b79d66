package dev.dopq.server.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class WebServerTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<String> problem = new AtomicReference<>();
    private WebServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ofSeconds(2));
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.boundPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void start() throws Exception {
        server = new WebServer("127.0.0.1", 0, null).route("/healthz", new Health(problem::get))
                .route("/boom", exchange -> {
                    throw new IllegalStateException("boom");
                });
        server.start();
    }

    @Test
    void healthz_answers_ok_while_healthy_and_503_with_the_reason_otherwise() throws Exception {
        start();
        HttpResponse<String> ok = get("/healthz");
        problem.set("database: closed");
        HttpResponse<String> sick = get("/healthz");

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok\n");
        assertThat(sick.statusCode()).isEqualTo(503);
        assertThat(sick.body()).contains("database: closed");
    }

    @Test
    void every_answer_carries_the_content_security_policy_and_no_sniffing() throws Exception {
        start();
        HttpResponse<String> r = get("/healthz");

        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v ->
                assertThat(v).startsWith("default-src 'self'"));
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void unknown_paths_are_404_wrong_methods_405_and_a_failing_handler_500_without_stopping_the_server()
            throws Exception {
        start();
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.boundPort() + "/healthz"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(get("/healthz/more").statusCode()).isEqualTo(404);
        assertThat(get("/nothing").statusCode()).isEqualTo(404);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(get("/boom").statusCode()).isEqualTo(500);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
    }
}
