package dev.dopq.client;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A {@code container_config.json} made from {@code submit}'s flags, in DoPQ's format plus our {@code image} and
 * {@code command} extensions. Unset flags are left out so the server's defaults apply.
 */
record JobConfig(String name, String executor, Integer gpus, String memory, String image, String command,
                 boolean build) {

    byte[] toJson() {
        JsonMapper mapper = new JsonMapper();
        ObjectNode node = mapper.createObjectNode();
        node.put("name", name);
        node.put("executor_name", executor);
        if (gpus != null) {
            node.put("num_gpus", gpus);
        }
        if (memory != null) {
            node.put("required_memory", memory);
        }
        node.put("build_flag", build);
        if (image != null) {
            node.put("image", image);
        }
        if (command != null) {
            node.put("command", command);
        }
        try {
            return (mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + SubmitCommand.CONFIG, e);
        }
    }
}
