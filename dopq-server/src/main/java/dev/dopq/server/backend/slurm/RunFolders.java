package dev.dopq.server.backend.slurm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shared folder every node and the server see: {@code runs/<run name>/} per attempt (batch script, Slurm job
 * id, labels, output, node and exit files), {@code images/} (saved images), {@code engines/<node>} (optional
 * per-node engine addresses). Files are written new and renamed into place; links are never followed.
 */
final class RunFolders {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,200}");
    static final String JOB_ID = "jobid";
    static final String LABELS = "labels";
    static final String OUTPUT = "output.log";
    static final String NODE = "node";
    static final String EXIT = "exit";
    static final String IMAGE = "image";

    private final Path root;

    RunFolders(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    Path runs() {
        return root.resolve("runs");
    }

    Path images() {
        return root.resolve("images");
    }

    Path engines() {
        return root.resolve("engines");
    }

    /** The folder of a run; {@code name} is a container name dopq made. */
    Path run(String name) {
        if (!SAFE.matcher(name).matches()) {
            throw new IllegalArgumentException("not a run name: " + name);
        }
        return runs().resolve(name);
    }

    /** Where an image is saved: its id or reference made a file name. */
    Path imageTar(String image) {
        return images().resolve(image.replaceAll("[^A-Za-z0-9_.-]", "_") + ".tar");
    }

    /** The run names that have a folder. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(runs(), LinkOption.NOFOLLOW_LINKS)) {
            return names;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(runs())) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                if (SAFE.matcher(name).matches() && Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + runs(), e);
        }
        return names;
    }

    /** A small file of a run, when it is there (a regular file, not a link). */
    Optional<String> read(String name, String file) {
        Path p = run(name).resolve(file);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code key=value} lines of a run file. */
    Map<String, String> properties(String name, String file) {
        Map<String, String> map = new LinkedHashMap<>();
        read(name, file).ifPresent(text -> text.lines().forEach(line -> {
            int eq = line.indexOf('=');
            if (eq > 0) {
                map.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }));
        return map;
    }

    /** Writes a run file as a new file renamed into place. */
    void write(String name, String file, String text) {
        Path dir = run(name);
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + file + ".new");
            Files.deleteIfExists(tmp);
            Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            Files.move(tmp, dir.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(file), e);
        }
    }

    /** Writes {@code key=value} lines. */
    void writeProperties(String name, String file, Map<String, String> map) {
        StringBuilder b = new StringBuilder();
        map.forEach((k, v) -> b.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
        write(name, file, b.toString());
    }

    /** Removes a run's folder (its files only; nothing is followed). */
    void delete(String name) {
        Path dir = run(name);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
