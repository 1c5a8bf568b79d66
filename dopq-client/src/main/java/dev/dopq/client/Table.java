package dev.dopq.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Help.Ansi.IStyle;
import picocli.CommandLine.Help.Ansi.Style;

/**
 * A plain text table with aligned columns. Colour is applied after padding, so widths stay right with or
 * without ANSI codes. A header ending in {@code >} is right-aligned (numbers); the marker is not printed.
 */
final class Table {
    private static final String GAP = "  ";

    /** A cell's text with an optional colour. */
    record Cell(String text, IStyle style) {
        static Cell of(Object value) {
            return new Cell(value == null ? "-" : value.toString(), null);
        }
    }

    private final String[] headers;
    private final boolean[] right;
    private final List<Cell[]> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = new String[headers.length];
        this.right = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            right[i] = headers[i].endsWith(">");
            this.headers[i] = right[i] ? headers[i].substring(0, headers[i].length() - 1) : headers[i];
        }
    }

    /** Adds a row of plain values ({@code null} shows as "-"). */
    Table row(Object... values) {
        return row(Arrays.stream(values).map(v -> v instanceof Cell c ? c : Cell.of(v)).toArray(Cell[]::new));
    }

    Table row(Cell... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.length + " columns");
        }
        rows.add(cells);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The lines of the table, header first, without trailing spaces. */
    List<String> lines(Ansi ansi) {
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
            for (Cell[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].text().length());
            }
        }
        List<String> lines = new ArrayList<>();
        Cell[] header = Arrays.stream(headers).map(h -> new Cell(h, Style.bold)).toArray(Cell[]::new);
        lines.add(line(header, widths, ansi));
        rows.forEach(row -> lines.add(line(row, widths, ansi)));
        return lines;
    }

    String render(Ansi ansi) {
        return String.join(System.lineSeparator(), lines(ansi)) + System.lineSeparator();
    }

    private String line(Cell[] cells, int[] widths, Ansi ansi) {
        StringBuilder line = new StringBuilder();
        int pendingSpaces = 0;
        for (int i = 0; i < cells.length; i++) {
            String text = cells[i].text();
            int pad = widths[i] - text.length();
            boolean last = i == cells.length - 1;
            StringBuilder cell = new StringBuilder();
            if (right[i]) {
                cell.append(" ".repeat(pad)).append(text);
            } else {
                cell.append(text);
            }
            if (cell.length() > 0) {
                line.append(" ".repeat(pendingSpaces)).append(styled(cell.toString(), cells[i].style(), ansi));
                pendingSpaces = 0;
            }
            // Padding goes in lazily so a line never ends in spaces.
            pendingSpaces += (right[i] ? 0 : pad) + (last ? 0 : GAP.length());
        }
        return line.toString();
    }

    private static String styled(String text, IStyle style, Ansi ansi) {
        if (style == null || !ansi.enabled() || text.isBlank()) {
            return text;
        }
        return style.on() + text + Style.reset.on();
    }
}
