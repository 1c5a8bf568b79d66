package dev.dopq.server.service;

import dev.dopq.server.core.Quotas;
import dev.dopq.server.store.InMemorySettingsStore;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuotaBookTest {
    private final InMemorySettingsStore settings = new InMemorySettingsStore();
    private final Quotas fromFile = new Quotas(new Quotas.Limits(2, 10, null),
            Map.of("ana", new Quotas.Limits(4, null, null)));

    @Test
    void run_time_changes_win_over_the_file_and_survive_a_restart() {
        QuotaBook book = new QuotaBook(fromFile, settings);

        book.set("ana", "max_gpus", "1");
        book.set("*", "max_queued", "none");
        book.set("bob", "max_gpu_hours_per_day", "12.5");

        QuotaBook afterRestart = new QuotaBook(fromFile, settings);
        assertThat(afterRestart.current().of("ana")).isEqualTo(new Quotas.Limits(1, null, null));
        assertThat(afterRestart.current().of("bob")).isEqualTo(new Quotas.Limits(2, null, 12.5));
        assertThat(afterRestart.current().of("carl")).isEqualTo(new Quotas.Limits(2, null, null));
        assertThat(afterRestart.changedAtRunTime("ana", Quotas.Field.MAX_GPUS)).isTrue();
        assertThat(afterRestart.changedAtRunTime("ana", Quotas.Field.MAX_QUEUED)).isFalse();
    }

    @Test
    void none_for_one_user_lifts_the_default_and_reset_goes_back_to_the_file() {
        QuotaBook book = new QuotaBook(fromFile, settings);

        book.set("carl", "max_gpus", "none");
        assertThat(book.current().of("carl").maxGpus()).isEqualTo(Quotas.UNLIMITED);

        book.set("carl", "max_gpus", "reset");
        book.set("ana", "max_gpus", "reset");
        assertThat(book.current().of("carl").maxGpus()).isEqualTo(2);
        assertThat(book.current().of("ana").maxGpus()).isEqualTo(4);
        assertThat(new QuotaBook(fromFile, settings).current()).isEqualTo(fromFile);
    }

    @Test
    void a_bad_key_or_value_is_refused_with_one_line_and_changes_nothing() {
        QuotaBook book = new QuotaBook(fromFile, settings);

        assertThatThrownBy(() -> book.set("ana", "max_gpu", "1"))
                .hasMessage("\"max_gpu\" is not a quota; use max_gpus, max_queued or max_gpu_hours_per_day");
        assertThatThrownBy(() -> book.set("ana", "max_gpus", "-3"))
                .hasMessage("\"-3\" is not a value of max_gpus; use none or a whole number, 0 or more, or reset");
        assertThat(book.current()).isEqualTo(fromFile);
        assertThat(settings.get("quotas")).isEmpty();
    }
}
