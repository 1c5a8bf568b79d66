package dev.dopq.server.provider;

import dev.dopq.server.util.Workers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/**
 * File-system events on the inbox's top folder, used only as a hint to scan sooner: network shares do not
 * deliver events from other hosts, so the periodic rescan stays the truth.
 */
final class InboxWatch {
    private static final Logger LOG = LoggerFactory.getLogger(InboxWatch.class);

    private final Path inbox;
    private final Runnable hint;
    private volatile WatchService service;
    private Thread thread;

    InboxWatch(Path inbox, Runnable hint) {
        this.inbox = inbox;
        this.hint = hint;
    }

    void start() {
        try {
            Files.createDirectories(inbox);
            WatchService ws = FileSystems.getDefault().newWatchService();
            inbox.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
            service = ws;
        } catch (IOException e) {
            LOG.info("no file-system events for {} ({}); relying on the periodic rescan", inbox, e.toString());
            return;
        }
        // a hint only: the periodic rescan finds what a killed watch missed
        thread = Workers.start("dopq-inbox-watch", true, this::run);
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                key.pollEvents();
                hint.run();
                if (!key.reset()) {
                    return;
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // stopping
        }
    }

    void stop() {
        WatchService ws = service;
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException e) {
                LOG.debug("closing the inbox watch: {}", e.toString());
            }
        }
    }
}
