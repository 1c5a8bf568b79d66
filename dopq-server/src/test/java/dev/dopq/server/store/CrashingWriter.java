package dev.dopq.server.store;

import java.nio.file.Path;

import static dev.dopq.server.testutil.TestJobs.aJob;

/**
 * Child process of {@link H2CrashSafetyTest}: inserts N jobs, says "done", then waits to be killed without
 * closing the database.
 */
public final class CrashingWriter {
    private CrashingWriter() {
    }

    public static void main(String[] args) throws InterruptedException {
        Database database = Database.open(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        for (int i = 0; i < count; i++) {
            database.jobs().insert(aJob().name("crash-" + i).build(), "writer");
        }
        System.out.println("done");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
