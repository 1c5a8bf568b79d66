package dev.dopq.server;

import dev.dopq.server.config.ConfigException;
import dev.dopq.server.config.ConfigLoader;
import dev.dopq.server.config.DopqConfig;
import dev.dopq.server.rmi.RmiServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;

/** {@code java -jar dopq-server.jar [--config FILE]}; exit 0 on a requested shutdown, 2 on a bad config. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        RmiServer.installRegistryFilter();
        Path configFile = Path.of("config.ini");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> {
                    if (i + 1 >= args.length) {
                        usage("--config needs a file");
                    }
                    configFile = Path.of(args[++i]);
                }
                case "--help", "-h" -> {
                    usage(null);
                }
                default -> usage("unknown argument " + args[i]);
            }
        }
        DopqConfig config;
        try {
            config = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            e.problems().forEach(p -> LOG.error("{}", p));
            LOG.error("dopq not started: fix {} and start again", configFile);
            System.exit(2);
            return;
        }
        Server server = new Server(config, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(false), "dopq-shutdown-hook"));
        try {
            server.start();
        } catch (StartupException e) {
            LOG.error("dopq not started: {}", e.getMessage());
            server.stop(false);
            System.exit(1);
        } catch (Exception e) {
            LOG.error("dopq could not start: {}", e.toString(), e);
            server.stop(false);
            System.exit(1);
        }
        server.awaitStop();
        System.exit(0);
    }

    private static void usage(String problem) {
        if (problem != null) {
            LOG.error("{}", problem);
        }
        LOG.info("usage: dopq-server [--config FILE]   (default: ./config.ini)");
        System.exit(problem == null ? 0 : 2);
    }
}
