package dev.dopq.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** Applies {@code [log] level} to the server's root logger (the process's, so only the entry point calls it). */
final class LogLevel {
    private LogLevel() {
    }

    static void apply(String level) {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.toLevel(level, Level.INFO));
            LoggerFactory.getLogger(LogLevel.class).info("log level {}", root.getLevel());
        }
    }
}
