package dev.dopq.server.rmi;

import dev.dopq.api.ApiException;
import dev.dopq.api.InvalidRequestException;
import dev.dopq.api.NotifySettings;
import dev.dopq.server.service.NotifyTargets;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/** {@code dopq notify}: a user's own notification targets. */
final class NotifyOperations {
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>,;\"()]{1,64}@[A-Za-z0-9.-]{1,190}");
    private static final int MAX_URL = 2000;

    private final NotifyTargets targets;

    NotifyOperations(NotifyTargets targets) {
        this.targets = targets;
    }

    NotifySettings show(Caller caller) throws ApiException {
        Checks.authenticated(caller, "read notification settings");
        NotifyTargets.Targets t = targets.of(caller.name());
        return new NotifySettings(caller.name(), t.webhook(), t.email());
    }

    NotifySettings set(Caller caller, String webhook, String email) throws ApiException {
        Checks.authenticated(caller, "set notifications");
        if (webhook != null && !webhook.isBlank()) {
            checkUrl(webhook.strip());
        }
        if (email != null && !email.isBlank() && !ADDRESS.matcher(email.strip()).matches()) {
            throw new InvalidRequestException("\"" + Checks.shorten(email) + "\" is not an e-mail address;"
                    + " use e.g. ana@lab.example");
        }
        targets.set(caller.name(), webhook, email);
        return show(caller);
    }

    private static void checkUrl(String url) throws InvalidRequestException {
        String problem = "the webhook must be an http or https URL like https://hooks.slack.com/services/...";
        if (url.length() > MAX_URL) {
            throw new InvalidRequestException(problem + " (at most " + MAX_URL + " characters)");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new InvalidRequestException(problem);
            }
        } catch (URISyntaxException e) {
            throw new InvalidRequestException(problem);
        }
    }
}
