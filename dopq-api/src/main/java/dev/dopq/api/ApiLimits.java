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
    /** Largest zip accepted through an upload ({@link DopqSession#beginUpload}). */
    public static final int MAX_SUBMIT_BYTES = 512 << 20;
    /** Largest piece of an upload in one call ({@link DopqSession#uploadChunk}). */
    public static final int MAX_CHUNK_BYTES = 1 << 20;
    /**
     * Most bytes one call may send before the server answers; a connection that sends more is closed before its
     * call is read to the end, so no call makes the server hold more than about this much.
     */
    public static final int MAX_CALL_BYTES = MAX_CHUNK_BYTES + (1 << 20);
    /** Uploads one session may have open at a time. */
    public static final int MAX_OPEN_UPLOADS = 2;

    private ApiLimits() {
    }
}
