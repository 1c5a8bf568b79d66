package dev.dopq.api;

import java.rmi.RemoteException;
import java.util.Arrays;

/** The client's side of an upload: a zip sent in bounded chunks through one session. */
public final class Uploads {
    private Uploads() {
    }

    /** Uploads {@code zip} as {@code fileName} and returns the RECEIVED job. */
    public static JobView submit(DopqSession session, String fileName, byte[] zip)
            throws RemoteException, ApiException {
        String id = session.beginUpload(fileName, zip.length);
        for (int from = 0; from < zip.length; from += ApiLimits.MAX_CHUNK_BYTES) {
            session.uploadChunk(id, Arrays.copyOfRange(zip, from, Math.min(zip.length,
                    from + ApiLimits.MAX_CHUNK_BYTES)));
        }
        return session.finishUpload(id);
    }
}
