package dev.dopq.client;

import org.junit.jupiter.api.Test;

import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.Ansi.Style;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableTest {

    @Test
    void columns_are_aligned_numbers_to_the_right_and_lines_have_no_trailing_spaces() {
        Table table = new Table("NAME", "COUNT>", "NOTE")
                .row("a", 1, "")
                .row("longer", 1234, "x");

        assertThat(table.lines(Ansi.OFF)).containsExactly(
                "NAME    COUNT  NOTE",
                "a           1",
                "longer   1234  x");
    }

    @Test
    void colour_does_not_change_the_alignment() {
        Table table = new Table("STATE", "ID>")
                .row(new Table.Cell("ok", Style.fg_green), Table.Cell.of(7));

        String coloured = table.lines(Ansi.ON).get(1);

        assertThat(coloured).contains("\u001B[32m");
        assertThat(coloured.replaceAll("\u001B\\[[0-9;]*m", "")).isEqualTo("ok      7");
    }

    @Test
    void null_values_show_as_a_dash() {
        assertThat(new Table("A", "B").row(null, "b").lines(Ansi.OFF)).containsExactly("A  B", "-  b");
    }

    @Test
    void a_row_with_the_wrong_number_of_cells_is_refused() {
        assertThatThrownBy(() -> new Table("A", "B").row("only one")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_job_sharing_its_gpu_shows_the_gpu_memory_it_asked_beside_its_gpu_count() {
        dev.dopq.api.JobView shared = new dev.dopq.api.JobView("7", "infer", "ana", "QUEUED", java.util.List.of(), 1,
                null, null, null, null, null, 1, null, null, null, false, null, null, null, java.util.List.of(),
                java.util.List.of(), 10L << 30);
        dev.dopq.api.JobView whole = new dev.dopq.api.JobView("8", "train", "ana", "QUEUED", java.util.List.of(), 2,
                null, null, null, null, null, 1);

        org.assertj.core.api.Assertions.assertThat(Tables.asked(shared)).isEqualTo("1 (10.0 GiB)");
        org.assertj.core.api.Assertions.assertThat(Tables.asked(whole)).isEqualTo("2");
    }
}
