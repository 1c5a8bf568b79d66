package dev.dopq.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Sets top-level keys of a {@code container_config.json} for {@code submit}'s workflow flags ({@code --array},
 * {@code --max-parallel}, {@code --after}, {@code --gpu-memory}), keeping everything else as the user wrote it. The server validates the result.
 */
final class ConfigEdit {
    private static final JsonMapper MAPPER = new JsonMapper();

    private ConfigEdit() {
    }

    /**
     * {@code config} with {@code keys} set (null values are left alone).
     *
     * @throws IOException when the config is not a JSON object (the message says so in one line)
     */
    static byte[] with(byte[] config, Map<String, Object> keys) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(config);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(SubmitCommand.CONFIG + " is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!(root instanceof ObjectNode object)) {
            throw new IOException(SubmitCommand.CONFIG + " must hold a JSON object {...}");
        }
        keys.forEach((key, value) -> {
            if (value instanceof Integer n) {
                object.put(key, n);
            } else if (value instanceof java.util.List<?> list) {
                var array = object.putArray(key);
                list.forEach(item -> array.add(item.toString()));
            } else if (value != null) {
                object.put(key, value.toString());
            }
        });
        return (MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(object) + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
