package dev.dopq.client;

import java.util.List;

import dev.dopq.api.ApiException;
import dev.dopq.api.DopqSession;
import dev.dopq.api.ExitCodes;
import dev.dopq.api.JobView;
import picocli.CommandLine.Command;
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

    @Command(name = "cancel", description = "Cancel a running job: stop it (grace period, then kill); it ends cancelled.")
    static final class Cancel extends SessionCommand {
        @Parameters(paramLabel = "ID", description = "Id of the running job.")
        String id;

        Cancel(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            JobView job = session.cancel(id);
            ctx.out().println("job " + job.id() + " " + Tables.state(job.state()).text());
            return ok();
        }
    }
}
