package dev.dopq.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.dopq.api.DopqSession;
import dev.dopq.api.ExitCodes;
import dev.dopq.api.JobView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code dopq wait ID...}: blocks until the jobs have ended; the exit code says whether all succeeded. */
@Command(name = "wait", description = "Wait until the jobs have ended; print how each ended. Exits 0 when all "
        + "succeeded, 1 when one did not.")
final class WaitCommand extends SessionCommand {
    static final Duration PAUSE = Duration.ofSeconds(2);
    private static final Set<String> ENDED = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "REJECTED");

    @Parameters(paramLabel = "ID", arity = "1..*", description = "Ids of the jobs to wait for.")
    List<String> ids;

    WaitCommand(Context ctx) {
        super(ctx);
    }

    @Override
    int run(DopqSession session) throws Exception {
        Map<String, JobView> ended = new LinkedHashMap<>();
        ctx.repeater().repeat(PAUSE, () -> {
            for (String id : ids) {
                if (!ended.containsKey(id)) {
                    JobView job = session.job(id).job();
                    if (ENDED.contains(job.state())) {
                        ended.put(id, job);
                    }
                }
            }
            return ended.size() < ids.size();
        });
        boolean allSucceeded = true;
        for (String id : ids) {
            JobView job = ended.get(id);
            allSucceeded &= job.state().equals("SUCCEEDED");
            ctx.out().println("job " + job.id() + " " + Tables.state(job.state()).text()
                    + (job.reason() == null || job.state().equals("SUCCEEDED") ? "" : ": " + job.reason()));
        }
        return allSucceeded ? ok() : ExitCodes.OTHER;
    }
}
