package dev.dopq.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.dopq.api.ApiLimits;
import dev.dopq.api.DopqSession;
import dev.dopq.api.HistoryQuery;
import dev.dopq.api.JobDetail;
import dev.dopq.api.JobView;
import dev.dopq.api.QueuePage;
import dev.dopq.api.QueueQuery;
import dev.dopq.api.SystemStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Commands that only read: status, queue, running, history, users, job, nodes, gpus, whoami. */
final class ReadCommands {
    private ReadCommands() {
    }

    @Command(name = "status", description = "Show whether the queue is open, job counts, host load and GPUs.")
    static final class Status extends SessionCommand.Read {
        Status(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            SystemStatus status = session.status();
            if (json) {
                Json.print(ctx.out(), status);
            } else {
                new Details(ctx.time(), ctx.ansi()).status(status, ctx.out());
            }
            return ok();
        }
    }

    @Command(name = "queue", description = "List queued jobs in the order they will start (the first 20 by default).")
    static final class Queue extends SessionCommand.Read {
        @Option(names = "--user", paramLabel = "USER",
                description = "Only this user's jobs (positions stay those in the whole queue).")
        String user;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
                description = "At most N jobs (1-" + ApiLimits.MAX_QUEUE_LIMIT + ", default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--offset", paramLabel = "N", defaultValue = "0",
                description = "Skip the first N (matching) jobs: the next page.")
        int offset;

        @Option(names = "--all", description = "Every queued job, however long the queue.")
        boolean all;

        @Option(names = "--expand", description = "One line per job: do not fold the waiting jobs of an array "
                + "into one line.")
        boolean expand;

        Queue(Context ctx) {
            super(ctx);
        }

        @Override
        void validate() {
            if (limit < 1 || limit > ApiLimits.MAX_QUEUE_LIMIT) {
                throw usage("--limit must be between 1 and " + ApiLimits.MAX_QUEUE_LIMIT + ", not " + limit);
            }
            if (offset < 0) {
                throw usage("--offset must be 0 or more, not " + offset);
            }
        }

        @Override
        int run(DopqSession session) throws Exception {
            QueuePage page = all ? QueuePages.all(session, user, offset)
                    : session.queue(new QueueQuery(user, offset, limit));
            if (json) {
                Json.print(ctx.out(), QueuePages.json(page));
                return ok();
            }
            print(tables().queue(page.jobs(), expand), page.matching() == 0 ? "queue is empty"
                    : "no queued jobs at offset " + offset + " (" + page.matching() + " in all)");
            if (page.remaining() > 0) {
                ctx.out().println(QueuePages.more(page));
            }
            return ok();
        }
    }

    @Command(name = "running", description = "List running jobs, oldest start first.")
    static final class Running extends SessionCommand.Read {
        Running(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            List<JobView> jobs = session.running();
            if (json) {
                Json.print(ctx.out(), jobs);
            } else {
                print(tables().running(jobs), "no jobs are running");
            }
            return ok();
        }
    }

    @Command(name = "history", description = "List finished jobs, newest first.")
    static final class History extends SessionCommand.Read {
        @Option(names = "--user", paramLabel = "USER", description = "Only this user's jobs.")
        String user;

        @Option(names = "--since", paramLabel = "DATE",
                description = "Only jobs finished since DATE: 2024-05-01, 2024-05-01T10:00, an ISO instant, "
                        + "or an age such as 30m, 12h, 7d.")
        String since;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
                description = "At most N jobs (1-" + ApiLimits.MAX_HISTORY_LIMIT + ", default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--before-id", paramLabel = "ID", description = "Next page: only jobs older than job ID.")
        String beforeId;

        private Instant sinceInstant;

        History(Context ctx) {
            super(ctx);
        }

        @Override
        void validate() {
            if (limit < 1 || limit > ApiLimits.MAX_HISTORY_LIMIT) {
                throw usage("--limit must be between 1 and " + ApiLimits.MAX_HISTORY_LIMIT + ", not " + limit);
            }
            sinceInstant = since == null ? null : Dates.parse(spec, "--since", since, ctx.clock());
        }

        @Override
        int run(DopqSession session) throws Exception {
            List<JobView> jobs = session.history(new HistoryQuery(user, sinceInstant, limit, beforeId));
            if (json) {
                Json.print(ctx.out(), jobs);
            } else {
                print(tables().history(jobs), "no finished jobs");
            }
            return ok();
        }
    }

    @Command(name = "users", description = "Show each user's fair-share penalty and job counts; lowest runs first.")
    static final class Users extends SessionCommand.Read {
        Users(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            var users = session.users();
            if (json) {
                Json.print(ctx.out(), users);
            } else {
                print(tables().users(users), "no users have jobs yet");
            }
            return ok();
        }
    }

    @Command(name = "job", description = "Show one job: state, resources, times, why it waits, its transitions.")
    static final class Job extends SessionCommand.Read {
        @Parameters(paramLabel = "ID", description = "The job id.")
        String id;

        Job(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            JobDetail detail = session.job(id);
            if (json) {
                Json.print(ctx.out(), detail);
            } else {
                new Details(ctx.time(), ctx.ansi()).job(detail, ctx.out());
            }
            return ok();
        }
    }

    @Command(name = "nodes", description = "List the nodes jobs run on: state, GPUs in use and their dopq jobs.")
    static final class Nodes extends SessionCommand.Read {
        Nodes(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            var nodes = session.nodes();
            if (json) {
                Json.print(ctx.out(), nodes);
            } else {
                print(tables().nodes(nodes), "no nodes");
            }
            return ok();
        }
    }

    @Command(name = "gpus", description = "List the server's GPUs, who holds them and, with NVML, their load.")
    static final class Gpus extends SessionCommand.Read {
        Gpus(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            var gpus = session.gpus();
            if (json) {
                Json.print(ctx.out(), gpus);
            } else {
                print(tables().gpus(gpus), "the server has no GPUs");
            }
            return ok();
        }
    }

    @Command(name = "whoami", description = "Print the user the server knows you as.")
    static final class Whoami extends SessionCommand.Read {
        Whoami(Context ctx) {
            super(ctx);
        }

        @Override
        int run(DopqSession session) throws Exception {
            String user = session.whoami();
            if (json) {
                Json.print(ctx.out(), Map.of("user", user));
            } else {
                ctx.out().println(user);
            }
            return ok();
        }
    }
}
