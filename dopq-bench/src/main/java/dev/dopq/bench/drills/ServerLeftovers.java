package dev.dopq.bench.drills;

import dev.dopq.bench.Out;
import dev.dopq.bench.harness.Cli;
import dev.dopq.bench.harness.Engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

/**
 * What a drill's server process made on the engine: containers and images labelled {@code dopq.instance=<id>},
 * the id the server keeps in its database. Removed by exactly that label, never by a broader filter, because
 * other servers and tests share the engine.
 */
final class ServerLeftovers {
    static final String INSTANCE_LABEL = "dopq.instance";

    private ServerLeftovers() {
    }

    /** The instance id of the stopped server whose H2 base is {@code database}; null if it never created one. */
    static String instanceOf(Path database) throws Exception {
        if (!Files.exists(database.resolveSibling(database.getFileName() + ".mv.db"))) {
            return null;
        }
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + database, "dopq", "");
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT setting_value FROM settings WHERE setting_key = 'instance.id'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Like {@link #instanceOf} for clean-up paths: a database that cannot be read is reported, not thrown. */
    static String instanceOrNull(Path database) {
        try {
            return instanceOf(database);
        } catch (Exception unreadable) {
            Out.line("could not read the server's instance id from %s: %s", database, unreadable);
            return null;
        }
    }

    /** Removes the containers, then the images, carrying {@code dopq.instance=instance}; nothing if null. */
    static void remove(String instance) throws Exception {
        if (instance == null) {
            return;
        }
        Engine.removeContainers(INSTANCE_LABEL, instance);
        Cli.shell(Duration.ofMinutes(5), "docker images -q --filter label=" + INSTANCE_LABEL + "=" + instance
                + " | xargs -r docker rmi -f");
    }
}
