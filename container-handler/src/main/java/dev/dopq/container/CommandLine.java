package dev.dopq.container;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command given as one string into words the way docker-py does ({@code shlex.split}, POSIX mode), so
 * DoPQ configs with {@code "command": "python train.py --lr 0.1"} mean the same here.
 */
final class CommandLine {

    private CommandLine() {
    }

    /**
     * Splits {@code line} into words honouring single quotes, double quotes and backslash escapes.
     *
     * @throws IllegalArgumentException on an unclosed quote or a trailing backslash
     */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            if (c == '\'') {
                i = quoted(line, i, '\'', word);
            } else if (c == '"') {
                i = quoted(line, i, '"', word);
            } else if (c == '\\') {
                i = escaped(line, i, word);
            } else {
                word.append(c);
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends the quoted text starting at {@code open}; returns the index of the closing quote. */
    private static int quoted(String line, int open, char quote, StringBuilder word) {
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == quote) {
                return i;
            }
            // Inside double quotes a backslash escapes only these, as in a POSIX shell.
            if (quote == '"' && c == '\\' && i + 1 < line.length() && "\\\"$`".indexOf(line.charAt(i + 1)) >= 0) {
                word.append(line.charAt(++i));
            } else {
                word.append(c);
            }
        }
        throw new IllegalArgumentException("has an unclosed " + quote + " quote");
    }

    private static int escaped(String line, int at, StringBuilder word) {
        if (at + 1 >= line.length()) {
            throw new IllegalArgumentException("ends with a lone backslash");
        }
        word.append(line.charAt(at + 1));
        return at + 1;
    }
}
