package dev.dopq.server.rmi;

import dev.dopq.api.JobView;
import dev.dopq.server.service.JobViews;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;

class HistoryCacheTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final HistoryCache.Query NEWEST = new HistoryCache.Query(null, null, null, 100);

    private final HistoryCache cache = new HistoryCache();
    private final AtomicInteger reads = new AtomicInteger();

    private List<JobView> read() {
        return List.of(JobViews.view(aJob().id(reads.incrementAndGet()).build()));
    }

    @Test
    void the_same_page_is_read_once_while_no_job_moves_and_it_is_young() {
        List<JobView> first = cache.get(NEWEST, 5, T0, this::read);
        List<JobView> again = cache.get(NEWEST, 5, T0.plusMillis(800), this::read);

        assertThat(again).isEqualTo(first);
        assertThat(reads).hasValue(1);
    }

    @Test
    void while_one_caller_reads_an_old_page_again_the_others_get_the_old_one_without_waiting() throws Exception {
        List<JobView> old = cache.get(NEWEST, 5, T0, this::read);
        java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Instant later = T0.plus(HistoryCache.MAX_AGE);
        java.util.concurrent.CompletableFuture<List<JobView>> refresher = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> cache.get(NEWEST, 5, later, () -> {
                    reading.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return read();
                }));
        reading.await();

        assertThat(cache.get(NEWEST, 5, later, this::read)).isEqualTo(old);
        assertThat(reads).as("the second caller did not read").hasValue(1);
        release.countDown();
        assertThat(refresher.get().get(0).id()).isEqualTo("2");
        assertThat(cache.get(NEWEST, 5, later, this::read).get(0).id()).isEqualTo("2");
    }

    @Test
    void a_job_that_moved_an_old_page_another_query_or_a_cleared_history_read_anew() {
        cache.get(NEWEST, 5, T0, this::read);

        assertThat(cache.get(NEWEST, 6, T0, this::read).get(0).id()).isEqualTo("2");
        assertThat(cache.get(NEWEST, 6, T0.plus(HistoryCache.MAX_AGE), this::read).get(0).id()).isEqualTo("3");
        assertThat(cache.get(new HistoryCache.Query("ana", null, null, 100), 6, T0, this::read).get(0).id())
                .isEqualTo("4");
        cache.clear();
        assertThat(cache.get(NEWEST, 6, T0.plus(HistoryCache.MAX_AGE), this::read).get(0).id()).isEqualTo("5");
        assertThat(reads).hasValue(5);
    }
}
