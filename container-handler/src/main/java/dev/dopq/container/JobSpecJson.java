package dev.dopq.container;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The stored form of a {@link JobSpec}; written by hand so the field names stay stable when the record grows. */
final class JobSpecJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JobSpecJson() {
    }

    static String write(JobSpec s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("name", s.name());
        o.put("user", s.user());
        o.put("num_gpus", s.numGpus());
        o.put("memory_bytes", s.memoryBytes());
        o.put("build_flag", s.buildFlag());
        o.put("image", s.image());
        o.put("image_file", s.imageFile());
        putList(o, "command", s.command());
        putList(o, "entrypoint", s.entrypoint());
        ObjectNode env = o.putObject("env");
        s.env().forEach(env::put);
        o.put("working_dir", s.workingDir());
        o.put("container_user", s.containerUser());
        o.put("cpus", s.cpus());
        o.put("shm_bytes", s.shmBytes());
        o.put("timeout", s.timeout() == null ? null : s.timeout().toString());
        o.put("retries", s.retries());
        o.put("host_network", s.hostNetwork());
        o.put("host_pid", s.hostPid());
        putList(o, "notify", s.notifyOn());
        ArrayNode indexes = o.putArray("array");
        s.arrayIndexes().forEach(indexes::add);
        o.put("max_parallel", s.maxParallel());
        putList(o, "after", s.after());
        putList(o, "after_any", s.afterAny());
        o.put("gpu_memory_bytes", s.gpuMemoryBytes());
        return o.toString();
    }

    private static void putList(ObjectNode o, String key, List<String> list) {
        if (list == null) {
            o.putNull(key);
        } else {
            ArrayNode a = o.putArray(key);
            list.forEach(a::add);
        }
    }

    static JobSpec read(String json) {
        JsonNode o;
        try {
            o = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored job spec is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("stored job spec is not a JSON object");
        }
        try {
            return fromTree(o);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("stored job spec is incomplete or malformed: " + e.getMessage(), e);
        }
    }

    private static JobSpec fromTree(JsonNode o) {
        String timeout = text(o, "timeout");
        return new JobSpec(text(o, "name"), text(o, "user"), o.path("num_gpus").asInt(),
                o.path("memory_bytes").asLong(), o.path("build_flag").asBoolean(), text(o, "image"),
                text(o, "image_file"), list(o, "command"), list(o, "entrypoint"), map(o.path("env")),
                text(o, "working_dir"), text(o, "container_user"), o.path("cpus").asDouble(),
                o.path("shm_bytes").asLong(), timeout == null ? null : Duration.parse(timeout),
                o.path("retries").asInt(), o.path("host_network").asBoolean(), o.path("host_pid").asBoolean(),
                list(o, "notify"), indexes(o.path("array")), o.path("max_parallel").asInt(), list(o, "after"), list(o, "after_any"),
                o.path("gpu_memory_bytes").asLong());
    }

    /** Specs stored before arrays existed have none. */
    private static List<Integer> indexes(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asInt()));
        return out;
    }

    private static String text(JsonNode o, String key) {
        JsonNode v = o.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<String> list(JsonNode o, String key) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        v.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static Map<String, String> map(JsonNode env) {
        Map<String, String> out = new LinkedHashMap<>();
        env.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}
