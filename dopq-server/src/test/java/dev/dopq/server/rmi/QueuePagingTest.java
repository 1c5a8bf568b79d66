package dev.dopq.server.rmi;

import dev.dopq.api.InvalidRequestException;
import dev.dopq.api.QueueEntry;
import dev.dopq.api.QueuePage;
import dev.dopq.api.QueueQuery;
import dev.dopq.server.core.Job;
import dev.dopq.server.core.PenaltyPolicy;
import dev.dopq.server.core.QueueIndex;
import dev.dopq.server.core.Scheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import java.util.ArrayList;
import java.util.List;

import static dev.dopq.server.testutil.TestJobs.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueuePagingTest {

    /** 250 queued jobs, ids 1..250 in start order, every third of bob. */
    private static List<Job> order() {
        List<Job> jobs = new ArrayList<>();
        for (int i = 1; i <= 250; i++) {
            jobs.add(aJob().id(i).user(i % 3 == 0 ? "bob" : "ana").build());
        }
        return jobs;
    }

    @Test
    void the_first_page_holds_the_head_of_the_queue_and_the_length_of_the_whole() throws Exception {
        QueuePage page = QueuePaging.page(order(), QueueQuery.head(100));

        assertThat(page.jobs()).hasSize(100);
        assertThat(page.jobs().get(0)).extracting(QueueEntry::position).isEqualTo(1);
        assertThat(page.jobs().get(0).job().id()).isEqualTo("1");
        assertThat(page.total()).isEqualTo(250);
        assertThat(page.matching()).isEqualTo(250);
        assertThat(page.remaining()).isEqualTo(150);
    }

    @Test
    void the_last_page_is_short_and_nothing_remains_after_it() throws Exception {
        QueuePage page = QueuePaging.page(order(), new QueueQuery(null, 200, 100));

        assertThat(page.jobs()).extracting(QueueEntry::position).startsWith(201).endsWith(250).hasSize(50);
        assertThat(page.remaining()).isZero();
    }

    @Test
    void one_users_page_keeps_the_positions_of_the_whole_queue() throws Exception {
        QueuePage page = QueuePaging.page(order(), new QueueQuery("BOB", 1, 2));

        assertThat(page.jobs()).extracting(QueueEntry::position).containsExactly(6, 9);
        assertThat(page.jobs()).allSatisfy(e -> assertThat(e.job().user()).isEqualTo("bob"));
        assertThat(page.matching()).isEqualTo(83);
        assertThat(page.total()).isEqualTo(250);
    }

    @Test
    void an_offset_past_the_end_gives_an_empty_page_with_the_counts() throws Exception {
        QueuePage page = QueuePaging.page(order(), new QueueQuery(null, 1000, 10));

        assertThat(page.jobs()).isEmpty();
        assertThat(page.matching()).isEqualTo(250);
    }

    @Test
    void a_page_walked_from_the_queue_index_equals_the_page_cut_from_the_full_decision() throws Exception {
        Random random = new Random(11);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int round = 0; round < 300; round++) {
            int users = 1 + random.nextInt(8);
            PenaltyPolicy penalties = random.nextBoolean() ? PenaltyPolicy.dopq()
                    : PenaltyPolicy.usage(Duration.ofHours(1 + random.nextInt(24)), 0.5);
            for (int f = random.nextInt(40); f > 0; f--) {
                Instant start = t0.plusSeconds(random.nextInt(36_000));
                penalties.onFinished(aJob().id(100_000 + f).user("u" + random.nextInt(users + 2))
                        .gpus(List.of("0")).startedAt(start).build(), start.plusSeconds(random.nextInt(7200)));
            }
            QueueIndex index = new QueueIndex();
            List<Job> queued = new ArrayList<>();
            for (int i = 1 + random.nextInt(400); i > 0; i--) {
                Job job = aJob().id(i).user("u" + random.nextInt(users)).gpusRequested(random.nextInt(3))
                        .submittedAt(random.nextInt(5) == 0 ? null : t0.plusSeconds(random.nextInt(50))).build();
                queued.add(job);
                index.put(job);
            }
            Instant now = t0.plusSeconds(40_000 + random.nextInt(40_000));
            List<Job> order = new Scheduler().decide(queued, List.of(), List.of("0", "1"), penalties, now,
                    random.nextBoolean()).order();
            String user = random.nextInt(3) == 0 ? "U" + random.nextInt(users + 1) : null;
            QueueQuery query = new QueueQuery(user, random.nextInt(queued.size() + 5), 1 + random.nextInt(150));

            QueuePage fromIndex = QueuePaging.page(index.order(penalties, now), index.size(), query,
                    QueuePaging.check(query));

            assertThat(fromIndex).as("round %d, %s", round, query).isEqualTo(QueuePaging.page(order, query));
        }
    }

    @Test
    void limits_offsets_and_user_names_out_of_range_are_refused_with_one_line() {
        assertThatThrownBy(() -> QueuePaging.page(order(), QueueQuery.head(0)))
                .isInstanceOf(InvalidRequestException.class).hasMessage("limit must be between 1 and 1000");
        assertThatThrownBy(() -> QueuePaging.page(order(), QueueQuery.head(1001)))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> QueuePaging.page(order(), new QueueQuery(null, -1, 10)))
                .isInstanceOf(InvalidRequestException.class).hasMessage("offset must be 0 or more");
        assertThatThrownBy(() -> QueuePaging.page(order(), new QueueQuery("x\ny".repeat(40), 0, 10)))
                .isInstanceOf(InvalidRequestException.class).hasMessageNotContaining("\n");
        assertThatThrownBy(() -> QueuePaging.page(order(), null)).isInstanceOf(InvalidRequestException.class);
    }
}
