package dev.dopq.server.rmi;

import dev.dopq.api.DopqLogin;
import dev.dopq.api.DopqSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.server.RMIClientSocketFactory;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code [api] tls = yes} with {@code client_auth = yes}: only a client presenting a certificate the server trusts
 * gets through. Key and trust stores are made here with the JDK's keytool.
 *
 * <p>The stubs a TLS server hands out carry {@code SslRMIClientSocketFactory}, which uses the process's default
 * SSL context and keeps the first one it sees; so the client with a certificate is the default context (set here
 * and restored after), and the client without one makes its sockets from its own context.
 */
class TlsIT {
    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    static ApiTestServer server;
    static SSLContext previousDefault;
    static SSLContext withoutCertificate;

    @BeforeAll
    static void start() throws Exception {
        Path certs = Files.createDirectories(dir.resolve("certs"));
        keyPair(certs.resolve("server.p12"), "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        keyPair(certs.resolve("client.p12"), "CN=ana", null);
        trust(certs.resolve("server.p12"), certs.resolve("client-trust.p12"), certs.resolve("server.cer"));
        trust(certs.resolve("client.p12"), certs.resolve("server-trust.p12"), certs.resolve("client.cer"));

        previousDefault = SSLContext.getDefault();
        SSLContext.setDefault(context(certs.resolve("client.p12"), certs.resolve("client-trust.p12")));
        server = ApiTestServer.start(dir.resolve("server"), Map.of(
                "tls", "yes", "client_auth", "yes",
                "keystore", certs.resolve("server.p12").toString(), "keystore_password", PASSWORD,
                "truststore", certs.resolve("server-trust.p12").toString(), "truststore_password", PASSWORD));
        withoutCertificate = context(null, certs.resolve("client-trust.p12"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (previousDefault != null) {
            SSLContext.setDefault(previousDefault);
        }
    }

    @Test
    void a_client_with_a_trusted_certificate_reads_the_status() throws Exception {
        DopqLogin login = (DopqLogin) LocateRegistry.getRegistry("127.0.0.1", server.port(),
                new SslRMIClientSocketFactory()).lookup(DopqLogin.BINDING);

        DopqSession admin = login.login("admin", server.adminToken());

        assertThat(admin.status().locked()).isFalse();
        assertThat(admin.whoami()).isEqualTo("admin (admin)");
    }

    @Test
    void a_client_without_a_certificate_cannot_connect() {
        Throwable refused = catchThrowable(() -> LocateRegistry.getRegistry("127.0.0.1", server.port(),
                new Sockets(withoutCertificate)).lookup(DopqLogin.BINDING));

        assertThat(refused).as("lookup without a client certificate").isInstanceOf(RemoteException.class);
        assertThat(causes(refused)).as("causes of %s", refused)
                .anyMatch(c -> c instanceof javax.net.ssl.SSLException || c instanceof java.net.SocketException);
    }

    @Test
    void a_client_without_tls_cannot_connect() {
        Throwable refused = catchThrowable(() -> LocateRegistry.getRegistry("127.0.0.1", server.port())
                .lookup(DopqLogin.BINDING));

        assertThat(refused).as("plain lookup on a TLS port").isInstanceOf(RemoteException.class);
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable c = t; c != null && !all.contains(c); c = c.getCause()) {
            all.add(c);
        }
        return all;
    }

    /** Client sockets from one context; used only on this side (never sent), so it need not be serializable. */
    private record Sockets(SSLContext context) implements RMIClientSocketFactory {
        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return context.getSocketFactory().createSocket(host, port);
        }
    }

    private static SSLContext context(Path keys, Path trust) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys == null ? null : load(keys), PASSWORD.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(trust));
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keys == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static void keyPair(Path store, String dname, String san) throws Exception {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", "me", "-keyalg", "EC", "-groupname",
                "secp256r1", "-dname", dname, "-validity", "2", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD));
        if (san != null) {
            args.addAll(List.of("-ext", san));
        }
        keytool(args);
    }

    /** Exports the certificate of {@code keys} and imports it into a new trust store. */
    private static void trust(Path keys, Path trustStore, Path cert) throws Exception {
        keytool(List.of("-exportcert", "-alias", "me", "-keystore", keys.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-rfc", "-file", cert.toString()));
        keytool(List.of("-importcert", "-noprompt", "-alias", "peer", "-file", cert.toString(),
                "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD));
    }

    private static void keytool(List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("keytool %s: %s", args.get(0), output).isZero();
    }
}
