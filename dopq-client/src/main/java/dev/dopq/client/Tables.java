package dev.dopq.client;

import java.util.List;
import java.util.Locale;

import dev.dopq.api.GpuView;
import dev.dopq.api.JobView;
import dev.dopq.api.NodeView;
import dev.dopq.api.QueueEntry;
import dev.dopq.api.UserInfo;
import dev.dopq.api.UserStats;
import picocli.CommandLine.Help.Ansi.IStyle;
import picocli.CommandLine.Help.Ansi.Style;

/** The tables the read commands print, built from API records. */
final class Tables {
    private static final int NAME_WIDTH = 32;
    private static final int REASON_WIDTH = 60;
    private final HumanTime time;

    Tables(HumanTime time) {
        this.time = time;
    }

    Table queue(List<QueueEntry> entries) {
        return queue(entries, true);
    }

    /**
     * The queue; with {@code expand} false the waiting jobs of one array are one line at the first one's
     * position: the array id, {@code name[indexes]} and how many wait.
     */
    Table queue(List<QueueEntry> entries, boolean expand) {
        Table table = new Table("#>", "ID>", "USER", "NAME", "AFTER", "GPUS>", "SUBMITTED");
        for (QueueFold.Line line : QueueFold.lines(entries, expand)) {
            JobView job = line.first().job();
            table.row(line.first().position(), line.id(), job.user(), clip(line.name(), NAME_WIDTH + 16),
                    clip(after(job), NAME_WIDTH), asked(job), time.ago(job.submittedAt()));
        }
        return table;
    }

    /** The jobs a job waits for: {@code 41,42} must succeed, {@code any 43} must end; {@code -} for none. */
    static String after(JobView job) {
        String must = String.join(",", job.after());
        String any = job.afterAny().isEmpty() ? "" : "any " + String.join(",", job.afterAny());
        String both = (must + " " + any).strip();
        return both.isEmpty() ? "-" : both;
    }

    Table running(List<JobView> jobs) {
        Table table = new Table("ID>", "USER", "NAME", "STATE", "NODE", "GPUS>", "GPU IDS", "STARTED", "RUNTIME>",
                "TRY>");
        for (JobView job : jobs) {
            table.row(Table.Cell.of(job.id()), Table.Cell.of(job.user()), Table.Cell.of(clip(job.name(), NAME_WIDTH)),
                    runState(job), Table.Cell.of(job.node() == null ? "-" : job.node()),
                    Table.Cell.of(asked(job)), Table.Cell.of(gpuList(job.gpus())),
                    Table.Cell.of(time.ago(job.startedAt())), Table.Cell.of(time.between(job.startedAt(), null)),
                    Table.Cell.of(job.attempt()));
        }
        return table;
    }

    Table history(List<JobView> jobs) {
        Table table = new Table("ID>", "USER", "NAME", "STATE", "GPUS>", "GPU IDS", "EXIT>", "FINISHED", "RUNTIME>",
                "REASON");
        for (JobView job : jobs) {
            table.row(Table.Cell.of(job.id()), Table.Cell.of(job.user()), Table.Cell.of(clip(job.name(), NAME_WIDTH)),
                    state(job.state()), Table.Cell.of(asked(job)), Table.Cell.of(gpuList(job.gpus())),
                    Table.Cell.of(job.exitCode()), Table.Cell.of(time.ago(job.finishedAt())),
                    Table.Cell.of(time.between(job.startedAt(), job.finishedAt())),
                    new Table.Cell(job.reason() == null ? "" : clip(job.reason(), REASON_WIDTH), null));
        }
        return table;
    }

    Table users(List<UserStats> users) {
        Table table = new Table("USER", "PENALTY>", "RUNNING>", "QUEUED>", "FINISHED>");
        users.forEach(u -> table.row(u.user(), Units.decimal(u.penalty()), u.running(), u.queued(), u.finished()));
        return table;
    }

    Table gpus(List<GpuView> gpus) {
        Table table = new Table("GPU ID", "STATE", "JOBS", "ASKED>", "UTIL>", "MEMORY>", "TEMP>");
        for (GpuView gpu : gpus) {
            table.row(Table.Cell.of(gpu.id()), gpuState(gpu), Table.Cell.of(gpuJob(gpu)),
                    Table.Cell.of(asked(gpu)), Table.Cell.of(Units.percent(gpu.utilization())),
                    Table.Cell.of(gpuMemory(gpu)),
                    Table.Cell.of(gpu.temperature() < 0 ? "-" : gpu.temperature() + "C"));
        }
        return table;
    }

    /** GPU memory the jobs sharing it asked for, of the GPU's memory when known; "-" on an unshared GPU. */
    private static String asked(GpuView gpu) {
        if (!gpu.shared()) {
            return "-";
        }
        return Units.bytes(gpu.memoryAsked()) + (gpu.memoryTotal() < 0 ? "" : " of " + Units.bytes(gpu.memoryTotal()));
    }

    /** In use / total, as NVML reads it; a declared GPU knows its total only. */
    private static String gpuMemory(GpuView gpu) {
        if (gpu.memoryTotal() < 0) {
            return "-";
        }
        return (gpu.memoryUsed() < 0 ? "-" : Units.bytes(gpu.memoryUsed())) + " / " + Units.bytes(gpu.memoryTotal());
    }

    Table nodes(List<NodeView> nodes) {
        Table table = new Table("NODE", "STATE", "GPUS>", "USED>", "JOBS");
        for (NodeView node : nodes) {
            table.row(node.name(), node.state(), node.gpus(), node.gpusUsed(),
                    node.jobs().isEmpty() ? "-" : String.join(",", node.jobs()));
        }
        return table;
    }

    Table userList(List<UserInfo> users) {
        Table table = new Table("NAME", "ADMIN", "TOKEN", "SOURCE", "CREATED", "EMAIL");
        users.forEach(u -> table.row(u.name(), u.admin() ? "yes" : "no", u.hasToken() ? "yes" : "no",
                u.fromConfig() ? "config.ini" : "added", time.ago(u.createdAt()), u.email() == null ? "-" : u.email()));
        return table;
    }

    /** "running" in green, or "stopping (kill in 25s)" in yellow. */
    Table.Cell runState(JobView job) {
        return job.stopping() ? new Table.Cell(time.runState(job), Style.fg_yellow) : state(job.state());
    }

    /** A job state in lower case, coloured by outcome. */
    static Table.Cell state(String state) {
        String text = state == null ? "-" : state.toLowerCase(Locale.ROOT);
        IStyle style = switch (text) {
            case "running", "succeeded" -> Style.fg_green;
            case "failed", "rejected" -> Style.fg_red;
            case "cancelled" -> Style.fg_yellow;
            case "queued", "received", "building" -> Style.fg_cyan;
            default -> null;
        };
        return new Table.Cell(text, style);
    }

    /** GPUs asked for: "2", or "1 (10.0 GiB)" for a job that shares its GPU by gpu_memory. */
    static String asked(JobView job) {
        return job.gpuMemory() > 0 ? job.gpusRequested() + " (" + Units.bytes(job.gpuMemory()) + ")"
                : String.valueOf(job.gpusRequested());
    }

    static String gpuList(List<String> gpus) {
        return gpus.isEmpty() ? "-" : String.join(",", gpus);
    }

    private static Table.Cell gpuState(GpuView gpu) {
        if (gpu.shared()) {
            return new Table.Cell("shared", Style.fg_green);
        }
        if (gpu.job() != null) {
            return new Table.Cell("busy", Style.fg_green);
        }
        if (gpu.foreign()) {
            return new Table.Cell("foreign", Style.fg_red);
        }
        if (gpu.heldFor() != null) {
            return new Table.Cell("held", Style.fg_yellow);
        }
        return new Table.Cell(gpu.busy() ? "busy" : "free", null);
    }

    private static String gpuJob(GpuView gpu) {
        if (!gpu.jobs().isEmpty()) {
            return String.join(",", gpu.jobs().stream().map(dev.dopq.api.GpuJob::job).toList());
        }
        if (gpu.job() != null) {
            return gpu.job();
        }
        return gpu.heldFor() != null ? "for " + gpu.heldFor() : "-";
    }

    static String clip(String text, int width) {
        if (text == null) {
            return "-";
        }
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= width ? oneLine : oneLine.substring(0, width - 3) + "...";
    }
}
