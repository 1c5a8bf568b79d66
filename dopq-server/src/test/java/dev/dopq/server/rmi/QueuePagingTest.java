package dev.dopq.server.rmi;

import dev.dopq.api.InvalidRequestException;
import dev.dopq.api.QueueEntry;
import dev.dopq.api.QueuePage;
import dev.dopq.api.QueueQuery;
import dev.dopq.server.core.Job;
import org.junit.jupiter.api.Test;

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
