package dev.dopq.server.backend.slurm;

import dev.dopq.container.ContainerSpec;
import dev.dopq.container.DockerRunArgs;
import dev.dopq.server.queue.Launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The batch script of one attempt: on the node Slurm picked, it runs the job's container on that node's Docker
 * engine with the labels and limits of the local backend and exactly the GPUs Slurm allocated, writes its output
 * and exit code into the attempt's run folder (which every node and the server see), and stops the container
 * within the grace period when Slurm signals the job (scancel, time limit).
 */
final class BatchScript {
    static final String NODE_LABEL = Launcher.LABEL_NODE;
    static final String GPUS_LABEL = Launcher.LABEL_GPUS;

    private BatchScript() {
    }

    /**
     * @param spec        the container, as the local backend would create it (its GPU ids are dopq's placeholders)
     * @param jobId       the dopq job id (leftovers of earlier attempts on the node's engine are removed)
     * @param instance    the dopq instance id
     * @param run         the attempt's run folder
     * @param imageTar    where the image was saved, loaded on a node whose engine lacks it
     * @param engines     folder of per-node engine addresses ({@code <node>} holds a DOCKER_HOST)
     * @param dockerHost  engine address for every node, or null
     * @param grace       time between SIGTERM and SIGKILL for the container
     * @param nvidia      {@code yes}/{@code no}: GPU device requests; {@code auto}: when the node's engine lists the
     *                    nvidia runtime (the server's own engine says nothing about the nodes')
     */
    static String of(ContainerSpec spec, long jobId, String instance, Path run, Path imageTar, Path engines,
                     String dockerHost, Duration grace, String nvidia) {
        Map<String, String> labels = new LinkedHashMap<>(spec.labels());
        labels.remove(GPUS_LABEL); // the node's own GPUs are labelled there
        String options = words(DockerRunArgs.options(spec.withLabels(labels)));
        String image = words(DockerRunArgs.imageAndCommand(spec));
        return """
                #!/bin/bash
                # dopq job %2$d: one attempt, one container on this node's Docker engine
                set -u
                RUN=%3$s
                NAME=%4$s
                IMAGE=%5$s
                node=${SLURMD_NODENAME:-$(hostname -s)}
                if [ -n %6$s ]; then export DOCKER_HOST=%6$s
                elif [ -r %7$s/"$node" ]; then export DOCKER_HOST="$(cat %7$s/"$node")"; fi
                # Slurm's indices are local to the node, as NVIDIA_VISIBLE_DEVICES wants them
                gpus=${SLURM_JOB_GPUS:-${CUDA_VISIBLE_DEVICES:-}}
                visible=${gpus:-void}
                printf 'node=%%s\\ngpus=%%s\\n' "$node" "$gpus" >"$RUN/node.tmp" && mv "$RUN/node.tmp" "$RUN/node"
                finish() {
                  printf 'code=%%s\\noom=%%s\\nstarted=%%s\\nfinished=%%s\\n' "$1" "$2" "$3" "$4" >"$RUN/exit.tmp"
                  mv "$RUN/exit.tmp" "$RUN/exit"
                }
                now() { date -u +%%Y-%%m-%%dT%%H:%%M:%%S.%%NZ; }
                # a container an earlier attempt left on this engine (its node was lost) never runs beside this one
                docker ps -aq --filter label=dopq.job=%2$d --filter label=dopq.instance=%8$s | xargs -r docker rm -f >/dev/null 2>&1
                # nor one of any job whose Slurm job ended while this node was away (it came back with it running)
                for c in $(docker ps -q --filter label=dopq.instance=%8$s --filter label=dopq.node="$node"); do
                  sj=$(docker inspect -f '{{index .Config.Labels "dopq.slurm"}}' "$c" 2>/dev/null)
                  if [ -n "$sj" ] && [ "$sj" != "${SLURM_JOB_ID:-}" ] \
                      && ! squeue -h -j "$sj" -t RUNNING,COMPLETING,SUSPENDED 2>/dev/null | grep -q .; then
                    docker rm -f "$c" >/dev/null 2>&1
                  fi
                done
                if ! docker image inspect "$IMAGE" >/dev/null 2>&1; then
                  # not in the job's output: the final copy of the output must start with what was followed
                  if ! docker load -i %9$s >"$RUN/load.log" 2>&1; then
                    { cat "$RUN/load.log"; echo "dopq: could not load the job's image on node $node"; } >>"$RUN/output.log"
                    finish 125 false "$(now)" "$(now)"; exit 0
                  fi
                fi
                nvidia=%10$s
                if [ "$nvidia" = auto ]; then
                  if docker info 2>/dev/null | grep -qi 'Runtimes:.*nvidia'; then nvidia=yes; else nvidia=no; fi
                fi
                gpuopt=()
                if [ "$nvidia" = yes ] && [ "$visible" != void ]; then gpuopt=(--gpus "device=$visible"); fi
                term() { docker stop -t %11$d "$NAME" >/dev/null 2>&1; }
                trap term TERM INT
                if ! docker run -d %12$s --label dopq.node="$node" --label dopq.gpus="$gpus" --label dopq.slurm="${SLURM_JOB_ID:-}" \\
                    --env NVIDIA_VISIBLE_DEVICES="$visible" "${gpuopt[@]}" %13$s >"$RUN/cid" 2>"$RUN/run.err"; then
                  cat "$RUN/run.err" >>"$RUN/output.log"
                  finish 125 false "$(now)" "$(now)"; exit 0
                fi
                docker logs -f "$NAME" >>"$RUN/output.log" 2>&1 &
                docker wait "$NAME" >/dev/null 2>&1 &
                wait $!
                # after a TERM, term stopped the container; the wait returns at once then
                docker wait "$NAME" >/dev/null 2>&1
                docker logs "$NAME" >"$RUN/output.full" 2>&1 && mv "$RUN/output.full" "$RUN/output.log"
                state=$(docker inspect -f '{{.State.ExitCode}} {{.State.OOMKilled}} {{.State.StartedAt}} {{.State.FinishedAt}}' "$NAME")
                set -- $state
                finish "$1" "$2" "$3" "$4"
                docker rm -f "$NAME" >/dev/null 2>&1
                exit 0
                """.formatted("", jobId, q(run.toString()), q(spec.name()), q(spec.image()),
                q(dockerHost == null ? "" : dockerHost), q(engines.toString()), q(instance), q(imageTar.toString()),
                q(nvidia), Math.max(1, grace.toSeconds()), options, image);
    }

    private static String words(List<String> args) {
        return args.stream().map(BatchScript::q).collect(Collectors.joining(" "));
    }

    /** One shell word, whatever it holds. */
    static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
