package dev.dopq.api;

import java.io.Serializable;

/**
 * A piece of a job's output log.
 *
 * @param text     the text (UTF-8 decoded)
 * @param offset   byte offset where the next read should start (for follow)
 * @param complete true when the job has ended and nothing more will be written
 */
public record LogChunk(String text, long offset, boolean complete) implements Serializable {
    private static final long serialVersionUID = 1L;
}
