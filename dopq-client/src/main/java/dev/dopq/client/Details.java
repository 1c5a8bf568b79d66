package dev.dopq.client;

import dev.dopq.api.AttemptView;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.dopq.api.JobDetail;
import dev.dopq.api.JobEventView;
import dev.dopq.api.JobView;
import dev.dopq.api.SystemStatus;
import picocli.CommandLine.Help.Ansi;

/** The key/value views of {@code status} and {@code job}. */
final class Details {
    private final HumanTime time;
    private final Ansi ansi;

    Details(HumanTime time, Ansi ansi) {
        this.time = time;
        this.ansi = ansi;
    }

    void status(SystemStatus status, PrintWriter out) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("queue", status.locked() ? "LOCKED (new jobs wait; running jobs go on)" : "open");
        fields.put("jobs", status.running() + " running, " + status.queued() + " queued, "
                + status.building() + " being built");
        fields.put("intake", status.intake() == null ? "ok" : status.intake());
        fields.put("server up", status.startedAt() == null ? "-"
                : time.between(status.startedAt(), null) + ", since " + time.absolute(status.startedAt()));
        fields.put("cpu load", Units.fraction(status.cpuLoad()));
        fields.put("memory", status.memoryTotal() < 0 ? "-"
                : Units.bytes(status.memoryAvailable()) + " free of " + Units.bytes(status.memoryTotal()));
        fields.put("disk", status.diskFree() < 0 ? "-" : Units.bytes(status.diskFree()) + " free");
        fields.put("engine", status.liveRestore() == null ? "not answering"
                : status.liveRestore() ? "live-restore on (jobs survive an engine restart)"
                : "live-restore off (an engine restart stops jobs; they run again)");
        printFields(fields, out);
        out.println();
        if (status.gpus().isEmpty()) {
            out.println("no GPUs");
        } else {
            out.print(new Tables(time).gpus(status.gpus()).render(ansi));
        }
    }

    void job(JobDetail detail, PrintWriter out) {
        JobView job = detail.job();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("job", job.id() + " (" + job.name() + ")");
        fields.put("user", job.user() == null ? "(not known yet)" : job.user());
        fields.put("state", (job.stopping() ? time.runState(job) + ": " + job.reason()
                : Tables.state(job.state()).text()) + (job.attempt() > 1 ? ", attempt " + job.attempt() : ""));
        fields.put("gpus", gpus(job));
        if (detail.gpuMemory() > 0) {
            fields.put("gpu memory", Units.bytes(detail.gpuMemory()) + " (shares its GPU)");
        }
        if (job.node() != null) {
            fields.put("node", job.node());
        }
        if (!job.after().isEmpty()) {
            fields.put("after", jobs(job.after()) + " (must succeed first)");
        }
        if (!job.afterAny().isEmpty()) {
            fields.put("after any", jobs(job.afterAny()) + " (must end first)");
        }
        fields.put("image", detail.image() == null ? "-" : detail.image());
        fields.put("runs as", detail.runAs() == null ? "-" : detail.runAs());
        fields.put("memory", detail.memory() > 0 ? Units.bytes(detail.memory()) : "unlimited");
        fields.put("timeout", detail.timeoutSeconds() > 0
                ? HumanTime.duration(java.time.Duration.ofSeconds(detail.timeoutSeconds())) : "none");
        fields.put("retries", String.valueOf(detail.retries()));
        fields.put("submitted", time.full(job.submittedAt()));
        fields.put("started", time.full(job.startedAt()));
        fields.put("finished", time.full(job.finishedAt()));
        if (job.startedAt() != null) {
            fields.put("runtime", time.between(job.startedAt(), job.finishedAt()));
        }
        fields.put("exit code", job.exitCode() == null ? "-" : job.exitCode().toString());
        fields.put("reason", job.reason() == null ? "-" : job.reason());
        if (job.stopping()) {
            fields.put("stop requested", time.full(job.stopRequestedAt()));
        }
        if (detail.waiting() != null) {
            fields.put("waiting", detail.waiting());
        }
        printFields(fields, out);
        printAttempts(detail, out);
        printEvents(detail, out);
        if (detail.buildLogTail() != null && !detail.buildLogTail().isBlank()) {
            out.println();
            out.println("build log (last lines):");
            detail.buildLogTail().lines().forEach(line -> out.println("  " + line));
        }
    }

    /** "1 GPU requested; holds GPU 0", "2 GPUs requested; held GPUs 0,1", "0 GPUs requested (CPU only)". */
    static String gpus(JobView job) {
        int n = job.gpusRequested();
        String requested = n + (n == 1 ? " GPU" : " GPUs") + " requested";
        if (n == 0) {
            return requested + " (CPU only)";
        }
        if (job.gpus().isEmpty()) {
            return requested;
        }
        boolean holds = "RUNNING".equals(job.state());
        return requested + "; " + (holds ? "holds" : "held") + (job.gpus().size() == 1 ? " GPU " : " GPUs ")
                + Tables.gpuList(job.gpus());
    }

    private void printAttempts(JobDetail detail, PrintWriter out) {
        if (detail.attempts().isEmpty()) {
            return;
        }
        Table attempts = new Table("ATTEMPT>", "GPU IDS", "STARTED", "RUNTIME>", "EXIT>", "LOG>", "REASON");
        for (AttemptView a : detail.attempts()) {
            attempts.row(Table.Cell.of(a.number()), Table.Cell.of(Tables.gpuList(a.gpus())),
                    Table.Cell.of(time.absolute(a.startedAt())),
                    Table.Cell.of(a.startedAt() == null ? "-" : time.between(a.startedAt(), a.finishedAt())),
                    Table.Cell.of(a.exitCode() == null ? "-" : a.exitCode().toString()),
                    Table.Cell.of(Units.bytes(a.logBytes())), new Table.Cell(a.reason() == null ? "" : a.reason(), null));
        }
        out.println();
        out.println("attempts (dopq logs " + detail.job().id() + " --attempt N):");
        out.print(attempts.render(ansi));
    }

    private static String jobs(java.util.List<String> ids) {
        return (ids.size() == 1 ? "job " : "jobs ") + String.join(", ", ids);
    }

    private void printEvents(JobDetail detail, PrintWriter out) {
        if (detail.events().isEmpty()) {
            return;
        }
        Table events = new Table("AT", "BY", "FROM", "TO", "REASON");
        for (JobEventView e : detail.events()) {
            events.row(Table.Cell.of(time.absolute(e.at())), Table.Cell.of(e.actor()),
                    Tables.state(e.from()), Tables.state(e.to()),
                    new Table.Cell(e.reason() == null ? "" : e.reason(), null));
        }
        out.println();
        out.print(events.render(ansi));
    }

    private void printFields(Map<String, String> fields, PrintWriter out) {
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        fields.forEach((key, value) -> out.println(
                ansi.string("@|bold " + key + "|@") + " ".repeat(width - key.length() + 2) + value));
    }
}
