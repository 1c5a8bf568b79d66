package dev.dopq.client;

import java.time.Duration;
import java.util.List;

import dev.dopq.api.ApiException;
import dev.dopq.api.DopqSession;
import dev.dopq.api.ExitCodes;
import dev.dopq.api.JobView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Commands that end one's own jobs: delete (queued) and cancel (running). */
final class JobCommands {
    private JobCommands() {
    }

    @Command(name = "delete", description = "Delete queued (or not yet queued) jobs; they end cancelled.")
    static final class Delete extends SessionCommand {
        @Parameters(paramLabel = "ID", arity = "1..*", description = "Ids of the jobs to delete.")
        List<String> ids;

        Delete(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            // Every id is tried; the exit code is that of the first failure so scripts still notice it.
            int exit = ExitCodes.OK;
            for (String id : ids) {
                try {
                    JobView job = session.delete(id);
                    ctx.out().println("job " + job.id() + " deleted");
                } catch (ApiException e) {
                    ctx.err().println("dopq: job " + id + ": " + e.getMessage());
                    exit = exit == ExitCodes.OK ? e.exitCode() : exit;
                }
            }
            return exit;
        }
    }

    @Command(name = "cancel", description = {"Cancel a running job: stop it (grace period, then kill); it ends "
            + "cancelled.", "A job that has not started yet is deleted instead."})
    static final class Cancel extends SessionCommand {
        /** How often --wait asks whether the job has ended. */
        static final Duration WAIT_PAUSE = Duration.ofSeconds(1);

        @Parameters(paramLabel = "ID", description = "Id of the running job.")
        String id;

        @Option(names = "--now", description = "Kill the job at once, without the grace period.")
        boolean now;

        @Option(names = "--wait", description = "Wait until the job has ended and print how it ended.")
        boolean await;

        Cancel(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            JobView job = session.cancel(id, now);
            ctx.out().println(describe(job));
            ctx.out().flush();
            if (!await || !"RUNNING".equals(job.state())) {
                return ok();
            }
            JobView[] last = {job};
            ctx.repeater().repeat(WAIT_PAUSE, () -> {
                last[0] = session.job(id).job();
                return "RUNNING".equals(last[0].state());
            });
            JobView ended = last[0];
            ctx.out().println("job " + ended.id() + " " + Tables.state(ended.state()).text()
                    + (ended.reason() == null ? "" : ": " + ended.reason())
                    + (ended.exitCode() == null ? "" : " (exit " + ended.exitCode() + ")"));
            return ok();
        }

        /** "stopping job 8 (grace 30s)", "killing job 8 now", or what became of a job that was not running. */
        static String describe(JobView job) {
            if (job.stopping()) {
                Duration grace = job.killAt() == null || job.stopRequestedAt() == null ? Duration.ZERO
                        : Duration.between(job.stopRequestedAt(), job.killAt());
                return grace.isZero() || grace.isNegative() ? "killing job " + job.id() + " now"
                        : "stopping job " + job.id() + " (grace " + HumanTime.duration(grace) + ")";
            }
            if ("CANCELLED".equals(job.state()) && job.startedAt() == null) {
                return "job " + job.id() + " cancelled before it started";
            }
            return "job " + job.id() + " " + Tables.state(job.state()).text()
                    + (job.reason() == null ? "" : ": " + job.reason());
        }
    }
}
