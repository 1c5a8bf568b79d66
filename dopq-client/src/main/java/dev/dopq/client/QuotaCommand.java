package dev.dopq.client;

import java.util.List;

import dev.dopq.api.DopqSession;
import dev.dopq.api.QuotaInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code dopq quota}: the quotas in force and each user's use of them; {@code dopq quota set} changes one. */
@Command(name = "quota", description = "Show quotas: GPUs held at once, jobs waiting, GPU-hours per 24h, and what "
        + "each user uses of them ('*' is the default of every user). Admins see everyone, users themselves.",
        subcommands = QuotaCommand.Set.class)
final class QuotaCommand extends SessionCommand.Read {

    QuotaCommand(Context ctx) {
        super(ctx);
    }

    @Override
    int run(DopqSession session) throws Exception {
        show(session.quotas());
        return ok();
    }

    void show(List<QuotaInfo> rows) {
        if (json) {
            Json.print(ctx.out(), rows);
            return;
        }
        print(table(rows), "no quotas");
    }

    static Table table(List<QuotaInfo> rows) {
        Table table = new Table("USER", "GPUS>", "WAITING>", "GPU-HOURS/24H>", "SOURCE");
        for (QuotaInfo q : rows) {
            boolean everyone = q.user().equals(QuotaInfo.DEFAULT_USER);
            table.row(everyone ? "* (default)" : q.user(),
                    everyone ? cap(q.maxGpus()) : q.gpusHeld() + " of " + cap(q.maxGpus()),
                    everyone ? cap(q.maxQueued()) : q.waiting() + " of " + cap(q.maxQueued()),
                    everyone ? cap(q.maxGpuHoursPerDay())
                            : Units.decimal(q.gpuHoursLastDay()) + " of " + cap(q.maxGpuHoursPerDay()),
                    q.source());
        }
        return table;
    }

    private static String cap(Number value) {
        if (value == null) {
            return "none";
        }
        double d = value.doubleValue();
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    @Command(name = "set", description = "Change one quota at run time (kept across restarts, wins over "
            + "config.ini). Admin only. Example: dopq quota set ana max_gpus 4")
    static final class Set extends SessionCommand.Read {
        @Parameters(index = "0", paramLabel = "USER", description = "A user, or '*' (quoted) for everyone's default.")
        String user;

        @Parameters(index = "1", paramLabel = "KEY", description = "max_gpus, max_queued or max_gpu_hours_per_day.")
        String key;

        @Parameters(index = "2", paramLabel = "VALUE",
                description = "A number, 'none' (no cap; for one user it lifts the default), or 'reset' "
                        + "(back to config.ini).")
        String value;

        Set(Context ctx) {
            super(ctx);
        }

        @Override
        void validate() {
            if (!List.of("max_gpus", "max_queued", "max_gpu_hours_per_day").contains(key)) {
                throw usage("KEY must be max_gpus, max_queued or max_gpu_hours_per_day, not '" + key + "'");
            }
        }

        @Override
        int run(DopqSession session) throws Exception {
            List<QuotaInfo> rows = session.setQuota(user, key, value);
            if (json) {
                Json.print(ctx.out(), rows);
            } else {
                print(table(rows), "no quotas");
            }
            return ok();
        }
    }
}
