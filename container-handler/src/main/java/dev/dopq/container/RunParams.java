package dev.dopq.container;

import java.util.List;
import java.util.Map;

/** What was honoured from DoPQ's {@code run_params}; {@code null} fields were not given. */
record RunParams(List<String> command, List<String> entrypoint, Map<String, String> env, String workingDir,
                 String user, Long shmBytes, Long memoryBytes, Double cpus, boolean hostNetwork, boolean hostPid) {

    static final RunParams NONE = new RunParams(null, null, null, null, null, null, null, null, false, false);
}
