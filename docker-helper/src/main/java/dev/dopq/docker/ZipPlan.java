package dev.dopq.docker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * What a zip would write, checked from its central directory before a single byte lands on disk: names, kinds,
 * duplicates, declared sizes and where container_config.json sits. Sizes are re-checked while writing.
 */
final class ZipPlan {

    /** The file that marks the build context folder. */
    static final String CONFIG_FILE = "container_config.json";

    /** One entry to write, at {@code path} relative to the target. */
    record Item(ZipArchiveEntry entry, String path, boolean directory) {
    }

    private final List<Item> items;
    private final String contextFolder;

    private ZipPlan(List<Item> items, String contextFolder) {
        this.items = items;
        this.contextFolder = contextFolder;
    }

    /** Entries in central-directory order. */
    List<Item> items() {
        return items;
    }

    /** The folder holding container_config.json, relative to the target; empty for the root. */
    String contextFolder() {
        return contextFolder;
    }

    /** Plans the extraction of {@code zip}, or rejects it with the first problem found. */
    static ZipPlan of(ZipFile zip, ZipLimits limits) {
        List<ZipArchiveEntry> entries = Collections.list(zip.getEntries());
        if (entries.isEmpty()) {
            throw new ZipRejectedException("the zip is empty");
        }
        if (entries.size() > limits.maxEntries()) {
            throw new ZipRejectedException("the zip has " + entries.size() + " entries, more than the limit of "
                    + limits.maxEntries());
        }
        List<Item> items = new ArrayList<>(entries.size());
        for (ZipArchiveEntry entry : entries) {
            items.add(check(entry, limits));
        }
        checkDuplicatesAndConflicts(items);
        checkDeclaredTotal(items, limits);
        return new ZipPlan(List.copyOf(items), findContext(items));
    }

    private static Item check(ZipArchiveEntry entry, ZipLimits limits) {
        String name = ZipEntryCheck.decodeName(entry);
        String path = ZipEntryCheck.normalize(name, entry.getRawName());
        boolean directory = ZipEntryCheck.isDirectory(entry, name);
        if (!directory) {
            ZipEntryCheck.checkReadable(entry, name);
            if (entry.getSize() > limits.maxEntryBytes()) {
                throw entryTooLarge(path, limits);
            }
        }
        return new Item(entry, path, directory);
    }

    private static void checkDuplicatesAndConflicts(List<Item> items) {
        Set<String> seen = new HashSet<>();
        Set<String> files = new HashSet<>();
        Set<String> parents = new HashSet<>();
        for (Item item : items) {
            if (!seen.add(item.path())) {
                throw new ZipRejectedException("entry \"" + ZipEntryCheck.show(item.path())
                        + "\" appears more than once in the zip");
            }
            if (!item.directory()) {
                files.add(item.path());
            }
            for (int slash = item.path().indexOf('/'); slash > 0; slash = item.path().indexOf('/', slash + 1)) {
                parents.add(item.path().substring(0, slash));
            }
        }
        for (String file : files) {
            if (parents.contains(file)) {
                throw new ZipRejectedException("entry \"" + ZipEntryCheck.show(file)
                        + "\" is both a file and a folder in the zip");
            }
        }
    }

    private static void checkDeclaredTotal(List<Item> items, ZipLimits limits) {
        long declared = 0;
        for (Item item : items) {
            if (!item.directory() && item.entry().getSize() > 0) {
                declared += item.entry().getSize();
                if (declared > limits.maxTotalBytes()) {
                    throw totalTooLarge(limits);
                }
            }
        }
    }

    private static String findContext(List<Item> items) {
        Set<String> folders = new TreeSet<>();
        for (Item item : items) {
            String path = item.path();
            int slash = path.lastIndexOf('/');
            if (!item.directory() && path.substring(slash + 1).equals(CONFIG_FILE)) {
                folders.add(slash < 0 ? "" : path.substring(0, slash));
            }
        }
        if (folders.isEmpty()) {
            throw new ZipRejectedException("no " + CONFIG_FILE
                    + " in the zip; put it at the top of the zip or in its one folder");
        }
        if (folders.size() > 1) {
            List<String> shown = folders.stream().map(f -> f.isEmpty() ? "(top level)" : f).limit(5).toList();
            throw new ZipRejectedException(CONFIG_FILE + " is in several folders (" + String.join(", ", shown)
                    + "); it is unclear which one to build, keep only one");
        }
        return folders.iterator().next();
    }

    static ZipRejectedException entryTooLarge(String path, ZipLimits limits) {
        return new ZipRejectedException("entry \"" + ZipEntryCheck.show(path) + "\" is larger than the limit of "
                + Sizes.formatBytes(limits.maxEntryBytes()));
    }

    static ZipRejectedException totalTooLarge(ZipLimits limits) {
        return new ZipRejectedException("the zip unpacks to more than the limit of "
                + Sizes.formatBytes(limits.maxTotalBytes()));
    }
}
