package dev.dopq.client;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@code container_config.json} made from {@code submit}'s flags, in DoPQ's format plus our {@code image},
 * {@code command}, {@code timeout}, {@code retries}, {@code cpus} and {@code env} extensions. Unset flags are left
 * out so the server's defaults apply.
 */
record JobConfig(String executor, String image, boolean build, ConfigFlags flags) {
    private static final JsonMapper MAPPER = new JsonMapper();

    byte[] toJson() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", flags.name());
        node.put("executor_name", executor);
        node.put("build_flag", build);
        if (image != null) {
            node.put("image", image);
        }
        flags.applyTo(node);
        return write(node);
    }

    static byte[] write(ObjectNode node) {
        try {
            return (MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + SubmitCommand.CONFIG, e);
        }
    }

    /** The config as an object, or null when it is not a JSON object. */
    static ObjectNode read(byte[] json) {
        try {
            return MAPPER.readTree(json) instanceof ObjectNode o ? o : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
