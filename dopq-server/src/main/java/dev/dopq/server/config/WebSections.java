package dev.dopq.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/** Typing of the sections about seeing and hearing: [web] (HTTP endpoint) and [notify] (notifications). */
final class WebSections {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9_.:\\[\\]%-]+");
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>,;\"]+@[^@\\s<>,;\"]+");

    private WebSections() {
    }

    static DopqConfig.Web web(ValueReader r) {
        r.section("web");
        String host = r.text("host");
        if (host.isEmpty() || !HOST.matcher(host).matches()) {
            r.problem("host", (host.isEmpty() ? "has no value" : "\"" + host + "\" is not an address")
                    + "; use 127.0.0.1 (this machine only), 0.0.0.0 (all interfaces) or an address of this host");
            host = ConfigSchema.defaultValue("web", "host");
        }
        int port = (int) r.wholeNumber("port", 0, 65535);
        boolean tls = r.bool("tls");
        Path keystore = r.optionalPath("keystore");
        if (tls && keystore == null) {
            r.problem("keystore", "is required when tls = yes; give the path of a PKCS12 or JKS key store");
        } else if (keystore != null && !Files.isRegularFile(keystore)) {
            r.problem("keystore", "\"" + keystore + "\" does not exist; give the path of a PKCS12 or JKS key store");
        }
        String password = r.text("keystore_password");
        String publicUrl = publicUrl(r, tls, host, port);
        return new DopqConfig.Web(host, port, tls, keystore, password.isEmpty() ? null : password, publicUrl);
    }

    private static String publicUrl(ValueReader r, boolean tls, String host, int port) {
        String text = r.text("public_url");
        if (text.isEmpty()) {
            String shown = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
            return (tls ? "https://" : "http://") + shown + ":" + port;
        }
        URI uri = httpUri(text);
        if (uri == null || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))) {
            r.problem("public_url", "\"" + text + "\" is not an origin; use the scheme, host and port browsers"
                    + " use, like https://gpu1.lab:7780, or leave it blank");
            return (tls ? "https://" : "http://") + host + ":" + port;
        }
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority();
    }

    static DopqConfig.Notify notify(ValueReader r) {
        r.section("notify");
        String webhook = r.text("webhook");
        if (!webhook.isEmpty() && httpUri(webhook) == null) {
            r.problem("webhook", "is not an http(s) URL (value not shown: it may hold a secret); use e.g."
                    + " https://hooks.slack.com/services/... or leave it blank");
            webhook = "";
        }
        int retries = (int) r.wholeNumber("retries", 1, 1000);
        var backoff = r.duration("backoff", false);
        String smtpHost = r.text("smtp_host");
        if (!smtpHost.isEmpty() && !HOST.matcher(smtpHost).matches()) {
            r.problem("smtp_host", "\"" + smtpHost + "\" is not a host name; use e.g. mail.lab.example or leave"
                    + " it blank (no e-mail)");
            smtpHost = "";
        }
        int smtpPort = (int) r.wholeNumber("smtp_port", 1, 65535);
        String from = r.text("smtp_from");
        if (!ADDRESS.matcher(from).matches()) {
            r.problem("smtp_from", "\"" + from + "\" is not an e-mail address; use e.g. dopq@gpu1.lab.example");
            from = ConfigSchema.defaultValue("notify", "smtp_from");
        }
        return new DopqConfig.Notify(blankToNull(webhook), retries, backoff, blankToNull(smtpHost), smtpPort,
                blankToNull(r.text("smtp_user")), blankToNull(r.text("smtp_password")), from,
                r.bool("smtp_starttls"));
    }

    /** An absolute http or https URL with a host, or null. */
    static URI httpUri(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}
