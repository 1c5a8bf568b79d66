package dev.dopq.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs a step again and again with a pause between runs, until the step says it is done. */
@FunctionalInterface
public interface Repeater {

    /** One run; returns false when there is nothing more to do. */
    @FunctionalInterface
    interface Step {
        boolean run() throws Exception;
    }

    /** Runs {@code step} now, then {@code pause} after each run that returned true; rethrows what the step throws. */
    void repeat(Duration pause, Step step) throws Exception;

    /** The real one: a named scheduler thread runs the steps while the caller waits for the outcome. */
    static Repeater scheduled() {
        return (pause, step) -> {
            ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "dopq-poll");
                thread.setDaemon(true);
                return thread;
            });
            CompletableFuture<Void> done = new CompletableFuture<>();
            scheduler.scheduleWithFixedDelay(() -> runOnce(step, done), 0, pause.toMillis(), TimeUnit.MILLISECONDS);
            try {
                done.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            } finally {
                scheduler.shutdownNow();
            }
        };
    }

    private static void runOnce(Step step, CompletableFuture<Void> done) {
        if (done.isDone()) {
            return;
        }
        try {
            if (!step.run()) {
                done.complete(null);
            }
        } catch (Exception | Error e) {
            done.completeExceptionally(e);
        }
    }
}
