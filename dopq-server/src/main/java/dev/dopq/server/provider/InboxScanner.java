package dev.dopq.server.provider;

import dev.dopq.docker.SafeZipExtractor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Finds zips in the inbox that are safe to take: size and mtime stable for {@code settle} and a readable
 * central directory. Hidden files, {@code *.part}, {@code *.tmp} and the {@code failed/} and {@code results/}
 * folders (at the top and in each user's folder) are ignored. Links are never followed: a folder or a zip that is
 * a link is skipped, and reported once. A rescan is the truth; file-system events are only a hint to scan sooner.
 */
public final class InboxScanner {
    private static final Logger LOG = LoggerFactory.getLogger(InboxScanner.class);
    public static final Set<String> RESERVED = Set.of("failed", "results");

    /**
     * How many settle times a file may stay unchanged and still not read as a zip before it is reported: long
     * enough for a stalled copy to resume, short enough that a user who dropped a damaged file learns why.
     */
    static final int UNREADABLE_AFTER_SETTLES = 12;

    /** A file as last observed; {@code unreadable} once it was stable but had no readable central directory. */
    private record Seen(long size, long mtime, Instant since, boolean unreadable) {
    }

    private final Path inbox;
    private final Duration settle;
    private final Clock clock;
    private final Map<Path, Seen> seen = new HashMap<>();
    /** Links already reported, so that one planted link is logged once, not on every scan. */
    private final Set<Path> reportedLinks = new HashSet<>();

    public InboxScanner(Path inbox, Duration settle, Clock clock) {
        this.inbox = inbox;
        this.settle = settle;
        this.clock = clock;
    }

    /** Zips that have settled, oldest observation first. */
    public List<Path> settled() throws IOException {
        Instant now = clock.instant();
        Set<Path> present = new HashSet<>();
        List<Path> ready = new ArrayList<>();
        for (Path zip : candidates()) {
            present.add(zip);
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(zip, BasicFileAttributes.class);
            } catch (IOException e) {
                continue; // vanished or unreadable right now; next scan decides
            }
            long mtime = a.lastModifiedTime().toMillis();
            Seen s = seen.get(zip);
            if (s == null || s.size() != a.size() || s.mtime() != mtime) {
                seen.put(zip, new Seen(a.size(), mtime, now, false));
                continue;
            }
            if (Duration.between(s.since(), now).compareTo(settle) >= 0) {
                if (SafeZipExtractor.isCompleteZip(zip)) {
                    ready.add(zip);
                } else {
                    LOG.debug("{} is stable but not yet a complete zip; waiting", zip);
                    seen.put(zip, new Seen(s.size(), s.mtime(), s.since(), true));
                }
            }
        }
        seen.keySet().retainAll(present);
        ready.sort((x, y) -> seen.get(x).since().compareTo(seen.get(y).since()));
        return ready;
    }

    /**
     * Files that have not changed for {@value #UNREADABLE_AFTER_SETTLES} settle times and still do not read as a
     * zip (an abandoned copy or a damaged file), as of the last {@link #settled()}. They are never taken: a copy
     * may still resume; the user is told instead.
     */
    public List<Path> unreadable() {
        Instant now = clock.instant();
        Duration patience = unreadablePatience();
        return seen.entrySet().stream()
                .filter(e -> e.getValue().unreadable())
                .filter(e -> Duration.between(e.getValue().since(), now).compareTo(patience) >= 0)
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    /** How long a file must stay unchanged and unreadable before {@link #unreadable()} lists it. */
    public Duration unreadablePatience() {
        return settle.multipliedBy(UNREADABLE_AFTER_SETTLES);
    }

    /** Forget a file once it has been taken (or quarantined). */
    public void forget(Path zip) {
        seen.remove(zip);
    }

    private List<Path> candidates() throws IOException {
        List<Path> out = new ArrayList<>();
        Set<Path> links = new HashSet<>();
        if (!Files.isDirectory(inbox)) {
            return out;
        }
        // walkFileTree does not follow links unless asked: a link is visited as a file, never entered
        Files.walkFileTree(inbox, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(inbox)) {
                    return FileVisitResult.CONTINUE;
                }
                String name = dir.getFileName().toString();
                int depth = inbox.relativize(dir).getNameCount();
                boolean reserved = depth <= 2 && RESERVED.contains(name);
                return reserved || name.startsWith(".") ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isSymbolicLink()) {
                    links.add(file);
                } else if (attrs.isRegularFile() && isCandidate(file.getFileName().toString())) {
                    out.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
                return FileVisitResult.CONTINUE;
            }
        });
        reportLinks(links);
        return out;
    }

    private void reportLinks(Set<Path> links) {
        for (Path link : links) {
            if (reportedLinks.add(link)) {
                LOG.warn("{} is a link; the inbox scan never follows links (nothing in it is taken)", link);
            }
        }
        reportedLinks.retainAll(links);
    }

    static boolean isCandidate(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return !n.startsWith(".") && !n.startsWith("~$") && n.endsWith(".zip");
    }
}
