package dev.dopq.server.config;

import org.ini4j.InvalidFileFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link DopqConfig} from config.ini plus {@code DOPQ_<SECTION>_<KEY>} environment variables (which win).
 * The Python DoPQ's keys are translated (see {@link DopqKeys}), each logged once.
 * Unknown or repeated sections and keys, and values that do not parse, are all collected and thrown together
 * as one {@link ConfigException}.
 */
public final class ConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

    private ConfigLoader() {
    }

    /** Loads {@code file} with the process environment as overrides. */
    public static DopqConfig load(Path file) {
        return load(file, System.getenv());
    }

    /**
     * Loads {@code file} with {@code env} as overrides.
     *
     * @throws ConfigException listing every problem when the file is unreadable or any setting is invalid
     */
    public static DopqConfig load(Path file, Map<String, String> env) {
        Path absolute = file.toAbsolutePath().normalize();
        String name = absolute.getFileName().toString();
        List<String> problems = new ArrayList<>();
        RawSettings raw = readFile(absolute, name, problems);
        report(name, DopqTranslation.apply(raw, problems));
        raw.override(env, problems);
        ValueReader reader = new ValueReader(raw, absolute.getParent(), problems);
        SectionParsers sections = new SectionParsers(reader, env);
        DopqConfig.Paths paths = paths(reader);
        DopqConfig config = new DopqConfig(absolute, paths, provider(reader), queue(reader),
                sections.gpu(), sections.docker(), sections.users(), sections.api(), sections.log(),
                sections.backend(paths), WebSections.web(reader), WebSections.notify(reader));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return config;
    }

    /** Logs what became of each DoPQ key: one line per translated key, one line for those that mean nothing. */
    private static void report(String fileName, DopqTranslation.Outcome outcome) {
        for (DopqTranslation.Translated t : outcome.translated()) {
            LOG.info("{} {}", fileName, t.describe());
            if (t.section().equals("docker") && t.key().equals("network") && t.dopqValue().equalsIgnoreCase("host")) {
                LOG.warn("{} {} = host is not carried over: jobs get the engine's default network; set [docker]"
                        + " network = host yourself if every job must share this machine's network", fileName,
                        t.from());
            }
        }
        outcome.overridden().forEach(o -> LOG.warn("{}", o.describe(fileName)));
        if (!outcome.unneeded().isEmpty()) {
            LOG.info("{} {}", fileName, outcome.unneededSummary());
        }
    }

    /** A file's settings with its DoPQ keys translated, before the environment and before typing. */
    record Translated(RawSettings raw, DopqTranslation.Outcome outcome) {
    }

    /**
     * Reads {@code file} and translates its DoPQ keys without applying the environment or typing values: the
     * settings as the file alone gives them, for {@link DopqConfigConverter}.
     */
    static Translated readTranslated(Path file, List<String> problems) {
        Path absolute = file.toAbsolutePath().normalize();
        RawSettings raw = readFile(absolute, absolute.getFileName().toString(), problems);
        return new Translated(raw, DopqTranslation.apply(raw, problems));
    }

    private static RawSettings readFile(Path file, String name, List<String> problems) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(List.of(name + ": no such file " + file
                    + "; copy the documented config.ini there or pass the right path"));
        }
        try {
            return RawSettings.read(file, problems);
        } catch (InvalidFileFormatException e) {
            throw new ConfigException(List.of(name + ": is not an ini file (" + e.getMessage()
                    + "); use [section] lines and key = value lines"));
        } catch (IOException e) {
            throw new ConfigException(List.of(name + ": cannot be read (" + e + ")"));
        }
    }

    private static DopqConfig.Paths paths(ValueReader r) {
        r.section("paths");
        Path inbox = r.path("inbox");
        Path state = r.path("state");
        // the provider takes files from the inbox, and users can write there: the two must stay apart
        if (inbox.startsWith(state) || state.startsWith(inbox)) {
            r.problem("state", "\"" + state + "\" overlaps the inbox \"" + inbox + "\"; use a folder that is"
                    + " neither inside the inbox nor contains it");
        }
        return new DopqConfig.Paths(inbox, state);
    }

    private static DopqConfig.Provider provider(ValueReader r) {
        r.section("provider");
        ValueReader.SizeOrPercent minFree = r.sizeOrPercent("min_free");
        return new DopqConfig.Provider(
                r.duration("settle", true),
                r.duration("rescan", false),
                minFree.bytes(),
                identity(r),
                r.wholeNumber("max_entries", 1, Long.MAX_VALUE),
                r.size("max_entry_size"),
                r.size("max_total_size"),
                (int) r.wholeNumber("max_ratio", 1, Integer.MAX_VALUE),
                r.bool("remove_images"),
                minFree.percent(),
                r.duration("build_timeout", false),
                r.size("build_memory"));
    }

    /** A log cap below 1 MiB would keep almost nothing of a job's output. */
    private static long logCap(ValueReader r) {
        long cap = r.size("max_log");
        if (cap < 1L << 20) {
            r.problem("max_log", "\"" + r.text("max_log") + "\" is too small; use at least 1m, like 1g");
            return ConfigValues.size(ConfigSchema.defaultValue("queue", "max_log"));
        }
        return cap;
    }

    /** {@code identity}, or {@code owner} from the old {@code verify_owner = yes} (with a warning to rename it). */
    private static DopqConfig.Provider.Identity identity(ValueReader r) {
        String chosen = r.choice("identity", List.of("folder", "owner", "claim"));
        if (r.bool("verify_owner")) {
            if (r.isSet("identity") && !chosen.equals("owner")) {
                r.problem("verify_owner", "contradicts identity = " + chosen + "; remove verify_owner (its new name"
                        + " is identity = owner)");
            } else {
                LOG.warn("{}: is the old name of identity = owner; write identity = owner instead",
                        r.origin("verify_owner"));
                chosen = "owner";
            }
        }
        return DopqConfig.Provider.Identity.valueOf(chosen.toUpperCase(java.util.Locale.ROOT));
    }

    private static DopqConfig.Queue queue(ValueReader r) {
        r.section("queue");
        return new DopqConfig.Queue(
                r.choice("penalty", List.of("usage", "dopq")),
                r.duration("half_life", false),
                r.decimal("cpu_weight", 0.0, 1000.0),
                r.duration("stop_grace", true),
                r.bool("remove_containers"),
                r.duration("reconcile", false),
                (int) r.wholeNumber("keep_history", 0, Integer.MAX_VALUE),
                logCap(r));
    }
}
