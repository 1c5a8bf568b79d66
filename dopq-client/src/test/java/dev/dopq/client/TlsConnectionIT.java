package dev.dopq.client;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import javax.rmi.ssl.SslRMIServerSocketFactory;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.dopq.api.DopqLogin;
import dev.dopq.api.ExitCodes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client against an RMI server that speaks TLS with a certificate for "localhost" only, trusted through the
 * standard javax.net.ssl.trustStore property. Runs in Failsafe's own JVM because the trust store and the default
 * SSL context are process-wide.
 */
class TlsConnectionIT {
    private static final String PASSWORD = "changeit";
    private static final String TOKEN = "ana.good-secret";

    @TempDir
    static Path tmp;

    private static Registry registry;
    private static FakeSession session;
    private static RmiEndToEndTest.Login login;
    private static int port;

    @BeforeAll
    static void serveOverTls() throws Exception {
        Path keystore = tmp.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD)
                .redirectErrorStream(true).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();

        System.setProperty("javax.net.ssl.trustStore", keystore.toString());
        System.setProperty("javax.net.ssl.trustStorePassword", PASSWORD);
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        System.setProperty("java.rmi.server.hostname", "localhost");
        Connection.installSerialFilter();

        SslRMIServerSocketFactory serverSockets = new SslRMIServerSocketFactory(serverContext(keystore), null, null,
                false);
        SslRMIClientSocketFactory clientSockets = new SslRMIClientSocketFactory();
        port = ExitCodesTest.closedPort();
        registry = LocateRegistry.createRegistry(port, clientSockets, serverSockets);
        session = new FakeSession();
        login = new RmiEndToEndTest.Login(session);
        UnicastRemoteObject.exportObject(session, 0, clientSockets, serverSockets);
        registry.rebind(DopqLogin.BINDING, UnicastRemoteObject.exportObject(login, 0, clientSockets, serverSockets));
    }

    private static SSLContext serverContext(Path keystore) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        return context;
    }

    @AfterAll
    static void stop() throws Exception {
        for (java.rmi.Remote exported : List.of(login, session, registry)) {
            UnicastRemoteObject.unexportObject(exported, true);
        }
    }

    private static CliRun.Result run(String... args) {
        return CliRun.run(new Connection(), new Environment(Map.of("DOPQ_TOKEN", TOKEN), tmp), args);
    }

    @Test
    void a_server_whose_certificate_names_the_host_is_reached_over_tls() {
        CliRun.Result result = run("status", "--json", "--tls", "--host", "localhost", "--port", String.valueOf(port));

        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        result.matchesGolden("status.json");
    }

    @Test
    void a_trusted_certificate_for_another_name_is_refused() {
        CliRun.Result result = run("status", "--tls", "--host", "127.0.0.1", "--port", String.valueOf(port));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(result.err()).contains("No subject alternative names matching IP address 127.0.0.1");
        assertThat(session.calls).isEmpty();
    }
}
