package dev.dopq.docker;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * One {@code .dockerignore} pattern compiled to a small automaton and run over a path by keeping the set of
 * positions reached, never backtracking: a match costs (path length) x (pattern length) steps at most, however many
 * stars a hostile pattern has (the regular expressions this replaces took exponential time on {@code *a*a*a*...b}).
 * Syntax as in moby's patternmatcher: {@code *} any run without '/', {@code ?} one character but '/',
 * {@code **} any run of folders, {@code [a-z]} / {@code [^a-z]} classes, {@code \} escapes.
 */
final class GlobProgram {

    private enum Kind { LITERAL, ONE, CLASS, STAR, ANY, DIRS }

    /** One step; {@code ranges} holds pairs lo, hi for a class. */
    private record Token(Kind kind, char c, char[] ranges, boolean negated) {
        boolean takes(char ch) {
            return switch (kind) {
                case LITERAL -> ch == c;
                case ONE -> ch != '/';
                case CLASS -> inRanges(ch) != negated;
                case STAR -> ch != '/';
                case ANY, DIRS -> true;
            };
        }

        private boolean inRanges(char ch) {
            for (int i = 0; i < ranges.length; i += 2) {
                if (ch >= ranges[i] && ch <= ranges[i + 1]) {
                    return true;
                }
            }
            return false;
        }

        /** Stars and folder runs may repeat; the others consume one character and move on. */
        boolean repeats() {
            return kind == Kind.STAR || kind == Kind.ANY || kind == Kind.DIRS;
        }

        /** May be passed without consuming anything. */
        boolean optional() {
            return repeats();
        }
    }

    private final Token[] tokens;

    private GlobProgram(List<Token> tokens) {
        this.tokens = tokens.toArray(new Token[0]);
    }

    /** Compiles a cleaned pattern (no leading '/'). */
    static GlobProgram compile(String pattern) {
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < pattern.length(); i++) {
            char ch = pattern.charAt(i);
            if (ch == '*' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                i++;
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
                    i++;
                }
                out.add(new Token(i + 1 >= pattern.length() ? Kind.ANY : Kind.DIRS, '\0', null, false));
            } else if (ch == '*') {
                out.add(new Token(Kind.STAR, '\0', null, false));
            } else if (ch == '?') {
                out.add(new Token(Kind.ONE, '\0', null, false));
            } else if (ch == '[' && closingBracket(pattern, i) > 0) {
                int end = closingBracket(pattern, i);
                out.add(charClass(pattern.substring(i + 1, end)));
                i = end;
            } else if (ch == '\\') {
                out.add(new Token(Kind.LITERAL, i + 1 < pattern.length() ? pattern.charAt(++i) : '\\', null, false));
            } else {
                out.add(new Token(Kind.LITERAL, ch, null, false));
            }
        }
        return new GlobProgram(out);
    }

    /** The index of the ']' closing the class opened at {@code open}, or -1 when there is none. */
    private static int closingBracket(String p, int open) {
        int i = open + 1;
        if (i < p.length() && (p.charAt(i) == '^' || p.charAt(i) == '!')) {
            i++;
        }
        if (i < p.length() && p.charAt(i) == ']') {
            i++; // a ']' first in a class stands for itself
        }
        for (; i < p.length(); i++) {
            if (p.charAt(i) == '\\') {
                i++;
            } else if (p.charAt(i) == ']') {
                return i;
            }
        }
        return -1;
    }

    private static Token charClass(String body) {
        boolean negated = !body.isEmpty() && (body.charAt(0) == '^' || body.charAt(0) == '!');
        String items = negated ? body.substring(1) : body;
        StringBuilder ranges = new StringBuilder();
        for (int i = 0; i < items.length(); i++) {
            char lo = items.charAt(i);
            if (lo == '\\' && i + 1 < items.length()) {
                lo = items.charAt(++i);
            }
            char hi = lo;
            if (i + 2 < items.length() && items.charAt(i + 1) == '-') {
                hi = items.charAt(i + 2);
                if (hi == '\\' && i + 3 < items.length()) {
                    hi = items.charAt(++i + 2);
                }
                i += 2;
            }
            ranges.append(lo).append(hi);
        }
        return new Token(Kind.CLASS, '\0', ranges.toString().toCharArray(), negated);
    }

    /** Whether the pattern matches {@code path} or one of its parent folders. */
    boolean matchesSelfOrParent(String path) {
        BitSet states = closure(single(0));
        for (int at = 0; at < path.length(); at++) {
            char ch = path.charAt(at);
            if (ch == '/' && at > 0 && states.get(tokens.length)) {
                return true; // the folder path[0..at) matches: everything inside it does too
            }
            states = closure(step(states, ch));
            if (states.isEmpty()) {
                return false;
            }
        }
        return states.get(tokens.length);
    }

    private static BitSet single(int state) {
        BitSet s = new BitSet();
        s.set(state);
        return s;
    }

    private BitSet step(BitSet states, char ch) {
        BitSet next = new BitSet(tokens.length + 1);
        for (int i = states.nextSetBit(0); i >= 0 && i < tokens.length; i = states.nextSetBit(i + 1)) {
            Token t = tokens[i];
            if (!t.takes(ch)) {
                continue;
            }
            if (t.kind() == Kind.DIRS) {
                next.set(i);          // still inside the run of folders
                if (ch == '/') {
                    next.set(i + 1);  // a run of folders ends with its '/'
                }
            } else if (t.repeats()) {
                next.set(i);
            } else {
                next.set(i + 1);
            }
        }
        return next;
    }

    /** Adds every state reachable by passing optional tokens. */
    private BitSet closure(BitSet states) {
        for (int i = states.nextSetBit(0); i >= 0 && i < tokens.length; i = states.nextSetBit(i + 1)) {
            if (tokens[i].optional()) {
                states.set(i + 1);
            }
        }
        return states;
    }
}
