package dev.dopq.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.dopq.api.ApiException;
import dev.dopq.api.DopqSession;
import dev.dopq.api.ExitCodes;
import dev.dopq.api.JobView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Commands that steer waiting and ended jobs: priority (admin), hold, release and restart (owners and admins). */
final class ControlCommands {
    private ControlCommands() {
    }

    @Command(name = "priority", description = "Move a job ahead of (higher) or behind (lower) the fair-share order;"
            + " an array id sets every job of the array. Admin only.")
    static final class Priority extends SessionCommand.Read {
        @Parameters(index = "0", paramLabel = "ID", description = "The job (or array) id.")
        String id;

        @Parameters(index = "1", paramLabel = "N", description = "The priority, -100 to 100 (0 = fair share only).")
        int priority;

        Priority(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            JobView job = session.setPriority(id, priority);
            if (json) {
                Json.print(ctx.out(), job);
            } else {
                ctx.out().println("job " + job.id() + ": priority " + job.priority());
            }
            return ok();
        }
    }

    /** hold and release: the same shape, the opposite change. */
    abstract static class HoldOrRelease extends SessionCommand.Read {
        @Parameters(paramLabel = "ID", arity = "0..*", description = "Ids of the jobs (or arrays).")
        List<String> ids;

        @Option(names = "--user", paramLabel = "NAME", description = "Every waiting job of this user now (admin"
                + " only); jobs submitted later are not affected.")
        String user;

        HoldOrRelease(Context ctx) {
            super(ctx);
        }

        abstract boolean holds();

        abstract JobView apply(DopqSession session, String id) throws Exception;

        @Override
        void validate() {
            boolean noIds = ids == null || ids.isEmpty();
            if (noIds == (user == null)) {
                throw usage("give job ids or --user NAME, not both");
            }
        }

        @Override
        int run(DopqSession session) throws Exception {
            String verb = holds() ? "held" : "released";
            if (user != null) {
                int n = session.holdUser(user, holds());
                if (json) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("user", user);
                    out.put(verb, n);
                    Json.print(ctx.out(), out);
                } else {
                    ctx.out().println(verb + " " + n + " waiting job" + (n == 1 ? "" : "s") + " of " + user);
                }
                return ok();
            }
            // Every id is tried; the exit code is that of the first failure so scripts still notice it.
            int exit = ExitCodes.OK;
            for (String id : ids) {
                try {
                    JobView job = apply(session, id);
                    if (json) {
                        Json.printLine(ctx.out(), job);
                    } else {
                        ctx.out().println("job " + job.id() + " " + (job.heldBy() == null ? "released"
                                : "held by " + job.heldBy()));
                    }
                } catch (ApiException e) {
                    ctx.err().println("dopq: job " + id + ": " + e.getMessage());
                    exit = exit == ExitCodes.OK ? e.exitCode() : exit;
                }
            }
            return exit;
        }
    }

    @Command(name = "hold", description = "Hold waiting jobs: they keep their place but do not start until released;"
            + " an array id holds every waiting job of the array.")
    static final class Hold extends HoldOrRelease {
        Hold(Context ctx) {
            super(ctx);
        }

        @Override
        boolean holds() {
            return true;
        }

        @Override
        JobView apply(DopqSession session, String id) throws Exception {
            return session.hold(id);
        }
    }

    @Command(name = "release", description = "Release held jobs so they may start; an array id releases every held"
            + " job of the array.")
    static final class Release extends HoldOrRelease {
        Release(Context ctx) {
            super(ctx);
        }

        @Override
        boolean holds() {
            return false;
        }

        @Override
        JobView apply(DopqSession session, String id) throws Exception {
            return session.release(id);
        }
    }

    @Command(name = "restart", description = "Run an ended job again as a new job with the same spec and image"
            + " (while the image is still on the server); prints the new job's id.")
    static final class Restart extends SessionCommand.Read {
        @Parameters(paramLabel = "ID", description = "The ended job's id.")
        String id;

        Restart(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            JobView job = session.restart(id);
            if (json) {
                Json.print(ctx.out(), job);
            } else {
                ctx.out().println(job.id());
            }
            return ok();
        }
    }
}
