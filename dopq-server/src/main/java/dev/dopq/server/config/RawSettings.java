package dev.dopq.server.config;

import dev.dopq.container.KeySuggestion;
import org.ini4j.Config;
import org.ini4j.Ini;
import org.ini4j.Profile;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The text of every setting before typing: read from config.ini with ini4j, checked against
 * {@link ConfigSchema}, then overridden by {@code DOPQ_*} environment variables. Remembers where each value
 * came from so a problem can name the file, section and key (or the variable).
 */
final class RawSettings {
    /** One setting's text and where it came from ("config.ini [gpu] devices" or "DOPQ_GPU_DEVICES"). */
    record Setting(String value, String origin) {
    }

    private final String fileName;
    private final Map<String, Setting> values = new HashMap<>();
    /** Values of the Python DoPQ's keys, by "section.key", in file order; {@link DopqTranslation} maps them. */
    private final Map<String, Setting> dopqValues = new LinkedHashMap<>();

    private RawSettings(String fileName) {
        this.fileName = fileName;
    }

    /** Reads {@code file}; problems with its structure (unknown or repeated names) are added to {@code problems}. */
    static RawSettings read(Path file, List<String> problems) throws IOException {
        String name = file.getFileName().toString();
        RawSettings settings = new RawSettings(name);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // Windows editors write a byte order mark ini4j would read as a name
        }
        Ini ini = new Ini();
        ini.setConfig(iniConfig());
        ini.load(new StringReader(text));
        for (String section : ini.keySet()) {
            settings.readSection(ini, section, problems);
        }
        return settings;
    }

    private static Config iniConfig() {
        Config config = new Config();
        config.setEscape(false);       // Windows paths like C:\data\new must stay as written
        config.setMultiSection(true);  // so repeated sections and keys are seen instead of silently merged
        config.setMultiOption(true);
        config.setTree(false);
        config.setGlobalSection(true); // keys above the first section are reported, not a parse failure
        config.setEmptyOption(true);
        return config;
    }

    private void readSection(Ini ini, String section, List<String> problems) {
        List<Profile.Section> occurrences = ini.getAll(section);
        if (section.equals(ini.getConfig().getGlobalSectionName())) {
            occurrences.forEach(s -> s.keySet().forEach(key ->
                    problems.add(fileName + " " + key + ": is outside any section; put it under one of "
                            + sectionList())));
            return;
        }
        if (DopqKeys.isDopqOnlySection(section)) {
            occurrences.forEach(o -> o.keySet().forEach(key -> readKey(section, key, o.getAll(key), problems)));
            return;
        }
        if (!ConfigSchema.isSection(section)) {
            problems.add(fileName + " [" + section + "]: unknown section" + hint(KeySuggestion.closest(section,
                    ConfigSchema.sections()).map(s -> "[" + s + "]")) + "; known sections are " + sectionList());
            return;
        }
        if (occurrences.size() > 1) {
            problems.add(fileName + " [" + section + "]: the section appears " + occurrences.size()
                    + " times; merge them into one");
        }
        for (Profile.Section occurrence : occurrences) {
            for (String key : occurrence.keySet()) {
                readKey(section, key, occurrence.getAll(key), problems);
            }
        }
    }

    private void readKey(String section, String key, List<String> texts, List<String> problems) {
        String where = fileName + " [" + section + "] " + key;
        Optional<String> canonical = ConfigSchema.isSection(section) ? ConfigSchema.canonicalKey(section, key)
                : Optional.empty();
        if (canonical.isEmpty() && DopqKeys.find(section, key).isPresent()) {
            readDopqKey(section, key, texts, where, problems);
            return;
        }
        if (canonical.isEmpty() && !ConfigSchema.isSection(section)) {
            problems.add(where + ": unknown key" + hint(KeySuggestion.closest(key, DopqKeys.keys(section)))
                    + "; DoPQ's keys of [" + section + "] are " + String.join(", ", DopqKeys.keys(section)));
            return;
        }
        if (canonical.isEmpty()) {
            problems.add(where + ": unknown key" + hint(KeySuggestion.closest(key, ConfigSchema.keys(section)))
                    + "; keys of [" + section + "] are " + String.join(", ", ConfigSchema.keys(section)));
            return;
        }
        String id = section + "." + canonical.get();
        if (texts.size() > 1 || values.containsKey(id)) {
            problems.add(where + ": is set more than once" + (canonical.get().equals(key) ? ""
                    : " (" + key + " is the old name of " + canonical.get() + ")") + "; keep one line");
            return;
        }
        values.put(id, new Setting(withoutComment(texts.get(0)), where));
    }

    private void readDopqKey(String section, String key, List<String> texts, String where, List<String> problems) {
        String id = section + "." + key.toLowerCase(java.util.Locale.ROOT);
        if (texts.size() > 1 || dopqValues.containsKey(id)) {
            problems.add(where + ": is set more than once; keep one line");
            return;
        }
        dopqValues.put(id, new Setting(withoutComment(texts.get(0)), where));
    }

    /** The DoPQ keys read from the file ("section.key" to value and origin), in file order. */
    Map<String, Setting> dopqValues() {
        return Collections.unmodifiableMap(dopqValues);
    }

    /** True when the file itself sets one of dopq's keys. */
    boolean isSet(String section, String key) {
        return values.containsKey(section + "." + key);
    }

    /** Sets a dopq key from a translated DoPQ key; {@code origin} names the DoPQ key. */
    void putTranslated(String section, String key, Setting setting) {
        values.put(section + "." + key, setting);
    }

    /** Applies {@code DOPQ_<SECTION>_<KEY>} variables; a misspelt one for a known section is a problem. */
    void override(Map<String, String> env, List<String> problems) {
        Map<String, String> known = new HashMap<>();
        for (String section : ConfigSchema.sections()) {
            for (String key : ConfigSchema.keys(section)) {
                known.put(ConfigSchema.environmentName(section, key), section + "." + key);
            }
        }
        env.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String id = known.get(e.getKey());
            if (id != null) {
                values.put(id, new Setting(e.getValue().trim(), "environment " + e.getKey()));
            } else if (namesKnownSection(e.getKey())) {
                problems.add("environment " + e.getKey() + ": unknown setting"
                        + hint(KeySuggestion.closest(e.getKey(), known.keySet())));
            }
        });
    }

    private static boolean namesKnownSection(String variable) {
        return ConfigSchema.sections().stream()
                .anyMatch(s -> variable.startsWith(ConfigSchema.environmentName(s, "")));
    }

    /** The setting's text (trimmed, comment removed) or the default, with its origin. */
    Setting get(String section, String key) {
        Setting set = values.get(section + "." + key);
        return set != null ? set
                : new Setting(ConfigSchema.defaultValue(section, key), fileName + " [" + section + "] " + key);
    }

    /** The settings of {@code section} whose key starts with {@code prefix}, by the rest of the key. */
    Map<String, Setting> withPrefix(String section, String prefix) {
        Map<String, Setting> found = new java.util.TreeMap<>();
        String start = section + "." + prefix;
        values.forEach((id, setting) -> {
            if (id.startsWith(start)) {
                found.put(id.substring(start.length()), setting);
            }
        });
        return found;
    }

    /** Drops an inline comment: a ';' or '#' at the start or after white space, as in DoPQ's files. */
    static String withoutComment(String value) {
        if (value == null) {
            return "";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c == ';' || c == '#') && (i == 0 || Character.isWhitespace(value.charAt(i - 1)))) {
                return value.substring(0, i).trim();
            }
        }
        return value.trim();
    }

    private static String hint(Optional<String> suggestion) {
        return suggestion.map(s -> " (did you mean " + s + "?)").orElse("");
    }

    private static String sectionList() {
        return "[" + String.join("], [", ConfigSchema.sections()) + "]";
    }
}
