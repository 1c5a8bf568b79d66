package dev.dopq.server;

import dev.dopq.server.config.ConfigException;
import dev.dopq.server.config.ConfigLoader;
import dev.dopq.server.config.DopqConfig;
import dev.dopq.server.config.DopqConfigConverter;
import dev.dopq.server.engine.DockerEngines;
import dev.dopq.server.util.Workers;
import dev.dopq.server.rmi.RmiServer;
import dev.dopq.server.service.UserImportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * {@code java -jar dopq-server.jar [--config FILE]}; exit 0 on a requested shutdown, 2 on a bad config.
 * {@code --convert-dopq-config FILE} prints the dopq config.ini a DoPQ config.ini means and exits (0, or 2 for a
 * bad file).
 */
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
                case "--convert-dopq-config" -> {
                    if (i + 1 >= args.length) {
                        usage("--convert-dopq-config needs the DoPQ config.ini to convert");
                    }
                    System.exit(convert(Path.of(args[i + 1])));
                    return;
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
        LogLevel.apply(config.log().level());
        Server server = new Server(config, Clock.systemUTC(), DockerEngines.connect(config));
        Runtime.getRuntime().addShutdownHook(Workers.thread("dopq-shutdown-hook", false, () -> server.stop(false)));
        try {
            server.start();
        } catch (UserImportException e) {
            LOG.error("dopq not started: {}", e.getMessage());
            server.stop(false);
            System.exit(2);
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

    /**
     * Prints the dopq config.ini meaning what a DoPQ config.ini means. The converted file is this command's
     * output, so it goes to stdout; a bad file is one line on stderr.
     */
    private static int convert(Path dopqFile) {
        try {
            System.out.print(DopqConfigConverter.convert(dopqFile));
            System.out.flush();
            return 0;
        } catch (ConfigException e) {
            List<String> problems = e.problems();
            System.err.println("dopq-server: cannot convert " + dopqFile + ": " + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
            return 2;
        }
    }

    private static void usage(String problem) {
        if (problem != null) {
            LOG.error("{}", problem);
        }
        LOG.info("usage: dopq-server [--config FILE]   (default: ./config.ini; DoPQ's config.ini works too)");
        LOG.info("       dopq-server --convert-dopq-config DOPQ-CONFIG.ini   (prints the dopq config.ini it means)");
        System.exit(problem == null ? 0 : 2);
    }
}
