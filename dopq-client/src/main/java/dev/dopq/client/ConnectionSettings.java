package dev.dopq.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where the server is and who the caller is.
 *
 * @param host  server host name or address
 * @param port  registry port
 * @param token {@code NAME.SECRET}, or null for an anonymous session
 * @param tls   true to talk TLS with host name verification
 */
public record ConnectionSettings(String host, int port, String token, boolean tls) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7777;

    /** The user part of the token (before the first dot), or null without a token. */
    public String user() {
        return token == null ? null : token.substring(0, token.indexOf('.'));
    }

    /** {@code host:port}, for messages. */
    public String address() {
        return host + ":" + port;
    }

    @Override
    public String toString() {
        // The token is a secret: never let it reach a log or a message through toString.
        return "ConnectionSettings[" + address() + (tls ? ", tls" : "") + ", user=" + user() + "]";
    }

    /**
     * Resolves settings from command-line values (null when not given), then the environment, then defaults.
     * The token comes from {@code --token}, else {@code DOPQ_TOKEN}, else the first line of {@code ~/.dopq/token}.
     */
    static ConnectionSettings resolve(CommandSpec spec, Environment env, String host, Integer port, String token,
                                      boolean tls) {
        String h = host != null ? host : orDefault(env.get("DOPQ_HOST"), DEFAULT_HOST);
        int p = port != null ? port : parsePort(spec, env.get("DOPQ_PORT"));
        String t = token != null ? token.trim() : env.get("DOPQ_TOKEN");
        if (t == null) {
            t = readTokenFile(env.home().resolve(".dopq").resolve("token"));
        }
        if (t != null && t.indexOf('.') <= 0) {
            throw new ParameterException(spec.commandLine(), "the token must look like NAME.SECRET");
        }
        return new ConnectionSettings(h, p, t, tls || isTrue(env.get("DOPQ_TLS")));
    }

    private static int parsePort(CommandSpec spec, String value) {
        if (value == null) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(value);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below with the same message as an out-of-range number
        }
        throw new ParameterException(spec.commandLine(), "DOPQ_PORT: \"" + value + "\" is not a port (1-65535)");
    }

    private static String readTokenFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return lines.isEmpty() || lines.get(0).isBlank() ? null : lines.get(0).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + file, e);
        }
    }

    private static boolean isTrue(String value) {
        return value != null && List.of("1", "true", "yes", "on").contains(value.toLowerCase(Locale.ROOT));
    }

    private static String orDefault(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
