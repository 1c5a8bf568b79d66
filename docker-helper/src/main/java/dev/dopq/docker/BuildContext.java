package dev.dopq.docker;

import java.io.IOException;
import java.io.OutputStream;

/**
 * What a build sends to the engine: a build context written as a tar. {@link FolderBuildContext} packs a folder;
 * {@link ZipBuildContext} streams a checked zip straight into the tar, so checking and uploading overlap.
 */
public interface BuildContext {

    /** True when the context has a Dockerfile at its root. */
    boolean hasDockerfile();

    /**
     * Writes the context as a tar to {@code out}, honouring {@code .dockerignore}; finishes the tar but leaves
     * {@code out} open. A failure leaves the tar unfinished, so a reader never takes part of it for all of it.
     *
     * @throws IOException          when the context cannot be read
     * @throws ZipRejectedException when the zip behind the context is refused part way (a limit, a damaged entry)
     */
    void writeTar(OutputStream out) throws IOException;

    /** Where the context comes from, for log lines. */
    String describe();
}
