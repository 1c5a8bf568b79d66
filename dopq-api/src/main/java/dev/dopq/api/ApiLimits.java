package dev.dopq.api;

/** Sizes the server accepts from callers; checked in code because deserialization filters do not bound strings. */
public final class ApiLimits {
    public static final int MAX_NAME = 64;
    public static final int MAX_TOKEN = 128;
    public static final int MAX_ID = 20;
    public static final int MAX_FILE_NAME = 255;
    public static final int MAX_HISTORY_LIMIT = 1000;
    /** Largest page of {@link DopqSession#queue(QueueQuery)}: a page of 1000 jobs is about 200 KB on the wire. */
    public static final int MAX_QUEUE_LIMIT = 1000;
    public static final int MAX_LOG_BYTES = 1 << 20;
    /** Largest zip accepted through {@link DopqSession#submit}. */
    public static final int MAX_SUBMIT_BYTES = 512 << 20;

    private ApiLimits() {
    }
}
