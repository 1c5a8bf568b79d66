package dev.dopq.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The shaded server jar, as the build packages it, carries the API but no console code or libraries. */
class ServerJarIT {
    private static final Path JAR = Path.of("target", "dopq-server.jar");

    @Test
    void the_server_jar_carries_the_api_but_neither_picocli_nor_jline_nor_the_client() throws Exception {
        assertThat(JAR).as("the shaded jar built by 'package'").exists();
        List<String> names;
        try (JarFile jar = new JarFile(JAR.toFile())) {
            names = jar.stream().map(e -> e.getName()).collect(Collectors.toList());
        }
        assertThat(names).contains("dev/dopq/api/DopqSession.class", "dev/dopq/server/Main.class");
        assertThat(names).noneMatch(n -> n.startsWith("picocli/"));
        assertThat(names).noneMatch(n -> n.startsWith("org/jline/"));
        assertThat(names).noneMatch(n -> n.startsWith("dev/dopq/client/"));
        assertThat(names).noneMatch(n -> n.contains("jlinenative") || n.contains("libjlinenative"));
        assertThat(Files.size(JAR)).isPositive();
    }
}
