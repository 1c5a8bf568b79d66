package dev.dopq.docker;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A build context that is a folder on disk, packed by {@link BuildContextTar}. */
public final class FolderBuildContext implements BuildContext {

    private final Path folder;

    /** @param folder the context folder, its Dockerfile at the root */
    public FolderBuildContext(Path folder) {
        this.folder = folder;
    }

    @Override
    public boolean hasDockerfile() {
        return Files.isRegularFile(folder.resolve("Dockerfile"));
    }

    @Override
    public void writeTar(OutputStream out) throws IOException {
        BuildContextTar.write(folder, out);
    }

    @Override
    public String describe() {
        return folder.toString();
    }
}
