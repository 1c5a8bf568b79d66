package dev.dopq.server.rmi;

import dev.dopq.api.ApiException;
import dev.dopq.api.ApiLimits;
import dev.dopq.api.InvalidRequestException;
import dev.dopq.api.QuotaInfo;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.JobState;
import dev.dopq.server.core.Quotas;
import dev.dopq.server.service.QuotaBook;
import dev.dopq.server.service.UserNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** {@code dopq quota}: the quotas in force with each user's use of them, and run-time changes (admins). */
final class QuotaOperations {
    private static final Logger LOG = LoggerFactory.getLogger(QuotaOperations.class);

    private final Backend b;

    QuotaOperations(Backend backend) {
        this.b = backend;
    }

    List<QuotaInfo> quotas(Caller caller) throws ApiException {
        Checks.authenticated(caller, "read quotas");
        Quotas quotas = b.quotas().current();
        List<Job> active = b.jobs().active().inStates(EnumSet.of(JobState.RECEIVED, JobState.BUILDING,
                JobState.QUEUED, JobState.RUNNING));
        List<Job> running = active.stream().filter(j -> j.state() == JobState.RUNNING).toList();
        Map<String, Integer> held = new HashMap<>();
        Map<String, Integer> waiting = new HashMap<>();
        for (Job j : active) {
            if (j.state() == JobState.RUNNING) {
                held.merge(j.user(), j.gpus().size(), Integer::sum);
            } else {
                waiting.merge(j.user(), 1, Integer::sum);
            }
        }
        Map<String, Double> hours = b.usage().hours(running, b.clock().instant());
        TreeSet<String> users = new TreeSet<>();
        if (caller.admin()) {
            b.accounts().all().forEach(u -> users.add(u.name()));
            users.addAll(quotas.perUser().keySet());
            users.addAll(held.keySet());
            users.addAll(waiting.keySet());
        } else {
            users.add(caller.name());
        }
        List<QuotaInfo> rows = new ArrayList<>();
        rows.add(row(QuotaBook.DEFAULT_SCOPE, quotas.defaults(), 0, 0, 0));
        for (String user : users) {
            rows.add(row(user, quotas.of(user), held.getOrDefault(user, 0), waiting.getOrDefault(user, 0),
                    hours.getOrDefault(user, 0.0)));
        }
        return rows;
    }

    private QuotaInfo row(String user, Quotas.Limits limits, int held, int waiting, double hours) {
        return new QuotaInfo(user, count(limits.maxGpus()), count(limits.maxQueued()),
                limits.maxGpuHoursPerDay() == null || limits.maxGpuHoursPerDay().isInfinite() ? null
                        : limits.maxGpuHoursPerDay(), held, waiting, hours, source(user));
    }

    private static Integer count(Integer cap) {
        return cap == null || cap == Quotas.UNLIMITED ? null : cap;
    }

    private String source(String user) {
        boolean runTime = false;
        boolean config = false;
        for (Quotas.Field f : Quotas.Field.values()) {
            runTime |= b.quotas().changedAtRunTime(user, f);
            Quotas.Limits fromFile = user.equals(QuotaBook.DEFAULT_SCOPE) ? b.quotas().fromConfig().defaults()
                    : b.quotas().fromConfig().perUser().get(user);
            config |= fromFile != null && f.of(fromFile) != null;
        }
        if (runTime) {
            return config ? "config, run time" : "run time";
        }
        return config ? "config" : "default";
    }

    List<QuotaInfo> setQuota(Caller caller, String user, String key, String value) throws ApiException {
        Checks.admin(caller, "change quotas");
        Checks.text(user, "user", ApiLimits.MAX_NAME);
        Checks.text(key, "quota", ApiLimits.MAX_NAME);
        Checks.text(value, "value", ApiLimits.MAX_NAME);
        String scope;
        try {
            scope = user.trim().equals(QuotaBook.DEFAULT_SCOPE) ? QuotaBook.DEFAULT_SCOPE
                    : UserNames.normalize(user);
            b.quotas().set(scope, key, value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        LOG.info("{} set quota {} of {} to {}", caller.name(), key, scope, value);
        b.queue().signal();
        return quotas(caller);
    }
}
