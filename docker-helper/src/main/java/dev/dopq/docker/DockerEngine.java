package dev.dopq.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connects to a Docker engine and answers questions about it. */
public final class DockerEngine {

    private static final Logger LOG = LoggerFactory.getLogger(DockerEngine.class);
    /** The engine's socket on a standard Linux install. */
    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";
    /**
     * Every event subscription and followed log holds a pooled connection for as long as it runs; one per running
     * job plus builds and short calls must fit without callers queueing for a connection.
     */
    private static final int MAX_CONNECTIONS = 128;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private DockerEngine() {
    }

    /**
     * A docker-java client over Apache HttpClient 5.
     *
     * @param dockerHost e.g. {@code unix:///var/run/docker.sock} or {@code tcp://gpu1:2376}; null or blank means
     *                   the {@code DOCKER_HOST} environment variable, else the default socket. For {@code tcp://}
     *                   with TLS, {@code DOCKER_TLS_VERIFY} and {@code DOCKER_CERT_PATH} apply as for the CLI.
     */
    public static DockerClient connect(String dockerHost) {
        String host = dockerHost == null || dockerHost.isBlank() ? hostFromEnvironment() : dockerHost.strip();
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(MAX_CONNECTIONS)
                .connectionTimeout(CONNECT_TIMEOUT)
                .build();
        LOG.debug("docker client for {}", host);
        return DockerClientImpl.getInstance(config, http);
    }

    /** True when {@code docker info} lists a runtime named "nvidia" (the NVIDIA container runtime). */
    public static boolean hasNvidiaRuntime(DockerClient client) {
        Info info = client.infoCmd().exec();
        return info.getRuntimes() != null && info.getRuntimes().containsKey("nvidia");
    }

    private static String hostFromEnvironment() {
        String env = System.getenv("DOCKER_HOST");
        return env == null || env.isBlank() ? DEFAULT_HOST : env.strip();
    }
}
