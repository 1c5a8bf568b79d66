package dev.dopq.server.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;

/** POSTs the JSON body to the webhook URL; any answer but 2xx is a failure. Redirects are not followed. */
public final class WebhookChannel implements Courier.Channel {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient http;

    /** @param executor where the HTTP client's own work runs (the server's named workers) */
    public WebhookChannel(Executor executor) {
        this.http = HttpClient.newBuilder().executor(executor).connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void deliver(String target, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(target)).timeout(TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .header("User-Agent", "dopq")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("the webhook answered HTTP " + response.statusCode());
        }
    }
}
