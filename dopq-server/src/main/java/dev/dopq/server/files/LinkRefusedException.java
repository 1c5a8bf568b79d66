package dev.dopq.server.files;

import java.io.IOException;
import java.nio.file.Path;

/** A link (or a file) stood where the server was about to enter a folder or write; nothing was written there. */
public final class LinkRefusedException extends IOException {
    private final transient Path path;

    public LinkRefusedException(Path path, String what) {
        super("refused " + path + ": it " + what + "; links on the share are never followed");
        this.path = path;
    }

    public Path path() {
        return path;
    }
}
