package dev.dopq.docker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The rules of a {@code .dockerignore} file, matched the way the Docker CLI does (moby patternmatcher): Go
 * {@code filepath.Match} syntax plus {@code **}, {@code !} exceptions, the last matching line wins, and a pattern
 * that matches a folder also matches everything inside it. Matching takes linear time (see {@link GlobProgram}).
 */
final class DockerIgnore {

    /** The file name Docker reads ignore rules from, at the root of the context. */
    static final String FILE_NAME = ".dockerignore";
    /** Far more than any real ignore file; read whole, so bounded. */
    static final long MAX_BYTES = 1 << 20;

    private record Rule(GlobProgram pattern, boolean exception) {
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    /** The rules of {@code contextDir/.dockerignore}, or no rules when the file is absent. */
    static DockerIgnore read(Path contextDir) throws IOException {
        Path file = contextDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return parse(List.of());
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(tooLarge());
        }
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** Why an ignore file is refused for its size. */
    static String tooLarge() {
        return FILE_NAME + " is larger than " + MAX_BYTES + " bytes; keep it to a list of patterns";
    }

    /** Parses a .dockerignore file's bytes, which must be UTF-8 (as {@link #read} requires of a file). */
    static DockerIgnore parse(byte[] bytes) throws IOException {
        String text = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString();
        return parse(text.lines().toList());
    }

    /** Parses the lines of a .dockerignore file. */
    static DockerIgnore parse(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = i == 0 && lines.get(i).startsWith("\uFEFF") ? lines.get(i).substring(1) : lines.get(i);
            if (line.startsWith("#")) {
                continue;
            }
            String pattern = line.strip();
            boolean exception = pattern.startsWith("!");
            if (exception) {
                pattern = pattern.substring(1).strip();
            }
            if (pattern.isEmpty()) {
                continue;
            }
            pattern = clean(pattern);
            if (pattern.length() > 1 && pattern.startsWith("/")) {
                pattern = pattern.substring(1);
            }
            rules.add(new Rule(GlobProgram.compile(pattern), exception));
        }
        return new DockerIgnore(List.copyOf(rules));
    }

    /** True when some rule re-includes paths, so an excluded folder must still be walked. */
    boolean hasExceptions() {
        return rules.stream().anyMatch(Rule::exception);
    }

    /** True when {@code path} ("a/b/c", relative to the context) is left out of the build context. */
    boolean excludes(String path) {
        boolean excluded = false;
        for (Rule rule : rules) {
            if (rule.exception() != excluded) {
                continue;
            }
            if (rule.pattern().matchesSelfOrParent(path)) {
                excluded = !rule.exception();
            }
        }
        return excluded;
    }

    /** Go's {@code filepath.Clean} for slash-separated paths. */
    static String clean(String path) {
        boolean rooted = path.startsWith("/");
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !parts.isEmpty() && !parts.peekLast().equals("..")) {
                parts.removeLast();
            } else if (!(part.equals("..") && rooted)) {
                parts.addLast(part);
            }
        }
        String joined = String.join("/", parts);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }
}
