package dev.dopq.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class WebConfigTest {
    private static final String MINIMAL = """
            [paths]
            inbox = inbox
            state = state
            [gpu]
            devices = 0,1
            [api]
            host = 127.0.0.1
            port = 7777
            """;

    @TempDir
    Path dir;

    private DopqConfig load(String text, Map<String, String> env) throws IOException {
        return ConfigLoader.load(Files.writeString(dir.resolve("config.ini"), text), env);
    }

    private List<String> problemsOf(String text) throws IOException {
        Path file = Files.writeString(dir.resolve("config.ini"), text);
        return catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, Map.of())).problems();
    }

    @Test
    void a_minimal_file_serves_http_on_loopback_port_7780_and_sends_no_notifications() throws IOException {
        DopqConfig config = load(MINIMAL, Map.of());

        assertThat(config.web().host()).isEqualTo("127.0.0.1");
        assertThat(config.web().port()).isEqualTo(7780);
        assertThat(config.web().enabled()).isTrue();
        assertThat(config.web().tls()).isFalse();
        assertThat(config.web().publicUrl()).isEqualTo("http://127.0.0.1:7780");
        assertThat(config.notifications().webhook()).isNull();
        assertThat(config.notifications().smtpHost()).isNull();
        assertThat(config.notifications().retries()).isEqualTo(10);
        assertThat(config.notifications().backoff()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.gpu().dcgmJobMappingDir()).isNull();
    }

    @Test
    void port_0_switches_the_endpoint_off() throws IOException {
        assertThat(load(MINIMAL, Map.of("DOPQ_WEB_PORT", "0")).web().enabled()).isFalse();
    }

    @Test
    void the_webhook_and_mapping_dir_are_read_and_the_mapping_dir_is_relative_to_the_file() throws IOException {
        DopqConfig config = load(MINIMAL.replace("devices = 0,1\n",
                "devices = 0,1\ndcgm_job_mapping_dir = dcgm\n") + "[notify]\nwebhook = http://127.0.0.1:9/x\n", Map.of());

        assertThat(config.notifications().webhook()).isEqualTo("http://127.0.0.1:9/x");
        assertThat(config.gpu().dcgmJobMappingDir()).isEqualTo(dir.resolve("dcgm").toAbsolutePath());
    }

    @Test
    void bad_web_and_notify_values_are_all_reported_with_file_section_and_key() throws IOException {
        List<String> problems = problemsOf(MINIMAL + """
                [web]
                port = 70000
                tls = yes
                public_url = gpu1.lab/dashboard
                [notify]
                webhook = ftp://secret-token@hooks
                smtp_from = nobody
                """);

        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("config.ini [web] port: \"70000\" is not a"
                + " whole number from 0 to 65535"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("config.ini [web] keystore: is required when"
                + " tls = yes"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("config.ini [web] public_url:"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("config.ini [notify] webhook: is not an"
                + " http(s) URL"));
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("config.ini [notify] smtp_from: \"nobody\""));
        assertThat(problems).allSatisfy(p -> assertThat(p).doesNotContain("secret-token"));
    }

    @Test
    void a_public_url_is_reduced_to_its_origin() throws IOException {
        DopqConfig config = load(MINIMAL + "[web]\npublic_url = HTTPS://gpu1.lab:8443/\n", Map.of());

        assertThat(config.web().publicUrl()).isEqualTo("https://gpu1.lab:8443");
    }
}
