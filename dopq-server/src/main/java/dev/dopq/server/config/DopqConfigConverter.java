package dev.dopq.server.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dopq-server --convert-dopq-config OLD.ini}: writes the dopq config.ini that means what a DoPQ config.ini
 * (or a file mixing DoPQ's and dopq's keys) means, each setting commented with where it came from, and the DoPQ
 * keys that mean nothing in dopq listed with the reason, so an admin can switch to dopq's own names.
 */
public final class DopqConfigConverter {

    private DopqConfigConverter() {
    }

    /**
     * The converted file's text.
     *
     * @throws ConfigException when the file cannot be read or holds keys or values that mean nothing to either
     */
    public static String convert(Path dopqFile) {
        List<String> problems = new ArrayList<>();
        ConfigLoader.Translated read = ConfigLoader.readTranslated(dopqFile, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        DopqTranslation.Outcome outcome = read.outcome();
        Map<String, DopqTranslation.Translated> bySetting = new HashMap<>();
        outcome.translated().forEach(t -> bySetting.put(t.section() + "." + t.key(), t));
        StringBuilder out = new StringBuilder();
        header(out, dopqFile.toAbsolutePath().normalize());
        for (String section : ConfigSchema.sections()) {
            List<String> lines = new ArrayList<>();
            for (String key : ConfigSchema.keys(section)) {
                if (!read.raw().isSet(section, key)) {
                    continue;
                }
                DopqTranslation.Translated t = bySetting.get(section + "." + key);
                lines.add(t == null ? "; as set in the file"
                        : "; DoPQ " + t.from() + " = " + t.dopqValue() + ": " + t.note());
                lines.add(key + " = " + read.raw().get(section, key).value());
            }
            if (section.equals("paths") && !read.raw().isSet("paths", "state")) {
                lines.add("; dopq's own folder (database, job folders, logs; replaces DoPQ's container.dir, unzip.dir,");
                lines.add("; log.dir and history.dir). Default: state, next to this file");
                lines.add(";state = state");
            }
            if (!lines.isEmpty()) {
                out.append('[').append(section).append("]\n");
                lines.forEach(l -> out.append(l).append('\n'));
                out.append('\n');
            }
        }
        footer(out, read);
        return out.toString();
    }

    private static void header(StringBuilder out, Path from) {
        out.append("; dopq configuration converted from the DoPQ file ").append(from).append('\n')
                .append("; by dopq-server --convert-dopq-config. It means what the DoPQ file meant; keys not listed")
                .append('\n')
                .append("; keep their defaults (the config.ini shipped with dopq documents every key).").append('\n')
                .append("; Relative paths are relative to the folder of this file.").append("\n\n");
    }

    private static void footer(StringBuilder out, ConfigLoader.Translated read) {
        DopqTranslation.Outcome outcome = read.outcome();
        if (!read.raw().isSet("gpu", "devices") || !read.raw().isSet("api", "port")) {
            out.append("; DoPQ's file names no GPUs and no API port: dopq uses [gpu] devices = auto (NVML) and [api]\n")
                    .append("; port = 7777 unless you add them here or set DOPQ_GPU_DEVICES / DOPQ_API_PORT.\n");
        }
        if (!outcome.overridden().isEmpty()) {
            out.append("; DoPQ keys not used because dopq's own key is set:\n");
            outcome.overridden().forEach(o -> out.append(";   ").append(o.from()).append(" (set: [")
                    .append(o.section()).append("] ").append(o.key()).append(")\n"));
        }
        if (!outcome.unneeded().isEmpty()) {
            out.append("; DoPQ keys that mean nothing in dopq:\n");
            outcome.unneeded().forEach(u -> out.append(";   ").append(u.from()).append(" = ").append(u.value())
                    .append(": ").append(u.reason()).append('\n'));
        }
    }
}
