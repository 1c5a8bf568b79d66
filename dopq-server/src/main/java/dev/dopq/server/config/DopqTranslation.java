package dev.dopq.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the Python DoPQ's keys read from a config file into dopq settings (see {@link DopqKeys}). dopq's own key
 * wins when the file has both; an environment override (applied later) wins over either.
 */
final class DopqTranslation {

    /** A DoPQ key that became a dopq setting. {@code from} is like {@code [fetcher] min.space}. */
    record Translated(String from, String dopqValue, String section, String key, String value, String note) {
        String describe() {
            return from + " = " + dopqValue + " -> [" + section + "] " + key + " = " + value + " (" + note + ")";
        }
    }

    /** A DoPQ key that means nothing in dopq, and why. */
    record Unneeded(String from, String value, String reason) {
    }

    /** A DoPQ key not used because the file also sets dopq's own key. */
    record Overridden(String from, String section, String key) {
        String describe(String fileName) {
            return fileName + " sets both " + from + " (DoPQ) and [" + section + "] " + key + "; using [" + section
                    + "] " + key + " and ignoring " + from;
        }
    }

    /** What the translation did, for the log and for the converter. */
    record Outcome(List<Translated> translated, List<Unneeded> unneeded, List<Overridden> overridden) {
        Outcome {
            translated = List.copyOf(translated);
            unneeded = List.copyOf(unneeded);
            overridden = List.copyOf(overridden);
        }

        boolean isEmpty() {
            return translated.isEmpty() && unneeded.isEmpty() && overridden.isEmpty();
        }

        /** One line naming every DoPQ key that means nothing in dopq, with the reason (keys sharing one together). */
        String unneededSummary() {
            Map<String, List<String>> byReason = new java.util.LinkedHashMap<>();
            unneeded.forEach(u -> byReason.computeIfAbsent(u.reason(), r -> new ArrayList<>()).add(u.from()));
            StringBuilder sb = new StringBuilder("DoPQ keys that mean nothing in dopq: ");
            String separator = "";
            for (Map.Entry<String, List<String>> e : byReason.entrySet()) {
                sb.append(separator).append(String.join(", ", e.getValue())).append(": ").append(e.getKey());
                separator = "; ";
            }
            return sb.toString();
        }
    }

    private DopqTranslation() {
    }

    /** Translates the DoPQ keys of {@code raw} into it; values that cannot be translated are added to problems. */
    static Outcome apply(RawSettings raw, List<String> problems) {
        List<Translated> translated = new ArrayList<>();
        List<Unneeded> unneeded = new ArrayList<>();
        List<Overridden> overridden = new ArrayList<>();
        for (Map.Entry<String, RawSettings.Setting> e : raw.dopqValues().entrySet()) {
            String id = e.getKey();
            int dot = id.indexOf('.');
            DopqKeys.Key key = DopqKeys.find(id.substring(0, dot), id.substring(dot + 1)).orElseThrow();
            RawSettings.Setting setting = e.getValue();
            if (!key.translated()) {
                unneeded.add(new Unneeded(key.label(), setting.value(), key.note()));
            } else if (raw.isSet(key.targetSection(), key.targetKey())) {
                overridden.add(new Overridden(key.label(), key.targetSection(), key.targetKey()));
            } else {
                String value = setting.value().isEmpty() ? "" : key.convert().apply(setting.value());
                if (value == null) {
                    problems.add(setting.origin() + ": \"" + setting.value() + "\" is not " + key.allowed()
                            + " (DoPQ's name for [" + key.targetSection() + "] " + key.targetKey() + ")");
                    continue;
                }
                raw.putTranslated(key.targetSection(), key.targetKey(), new RawSettings.Setting(value,
                        setting.origin() + " (DoPQ's name for [" + key.targetSection() + "] " + key.targetKey() + ")"));
                translated.add(new Translated(key.label(), setting.value(), key.targetSection(), key.targetKey(),
                        value, key.note()));
            }
        }
        return new Outcome(translated, unneeded, overridden);
    }
}
