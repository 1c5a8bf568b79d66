package dev.dopq.container;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KeySuggestionTest {

    @Test
    void a_name_one_letter_off_is_answered_with_the_known_name() {
        assertThat(KeySuggestion.closest("num_gpu", List.of("name", "num_gpus", "image"))).contains("num_gpus");
    }

    @Test
    void case_is_ignored_on_both_sides_and_the_known_spelling_is_returned() {
        assertThat(KeySuggestion.closest("dopq_api_prot", List.of("DOPQ_API_PORT", "DOPQ_API_HOST")))
                .contains("DOPQ_API_PORT");
        assertThat(KeySuggestion.closest("NUM_GPUS", List.of("num_gpus"))).contains("num_gpus");
    }

    @Test
    void a_short_word_is_not_corrected_to_an_unrelated_short_name() {
        assertThat(KeySuggestion.closest("env", List.of("tls", "port"))).isEmpty();
    }

    @Test
    void a_long_name_is_never_corrected_by_more_than_three_edits() {
        assertThat(KeySuggestion.closest("favourite_colour", List.of("required_memory", "run_params"))).isEmpty();
        assertThat(KeySuggestion.closest("max_entry_size_limit", List.of("max_entry_size"))).isEmpty();
        assertThat(KeySuggestion.closest("max_entry_sizes", List.of("max_entry_size"))).contains("max_entry_size");
    }

    @Test
    void of_equally_close_names_the_alphabetically_first_is_suggested_whatever_the_order() {
        assertThat(KeySuggestion.closest("cpux", List.of("cpuz", "cpuy"))).contains("cpuy");
        assertThat(KeySuggestion.closest("cpux", List.of("cpuy", "cpuz"))).contains("cpuy");
    }

    @Test
    void nothing_known_means_no_suggestion() {
        assertThat(KeySuggestion.closest("anything", List.of())).isEmpty();
    }
}
