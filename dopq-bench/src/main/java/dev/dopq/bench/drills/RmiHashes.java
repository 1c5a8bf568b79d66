package dev.dopq.bench.drills;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** RMI's method hash, which selects the server method a call is dispatched to. */
final class RmiHashes {
    private RmiHashes() {
    }

    /**
     * Java RMI specification 8.3: the first 8 bytes, little-endian, of the SHA-1 of the method's name and
     * descriptor written with {@code writeUTF}.
     */
    static long methodHash(Method m) throws IOException, NoSuchAlgorithmException {
        StringBuilder descriptor = new StringBuilder(m.getName()).append('(');
        for (Class<?> p : m.getParameterTypes()) {
            descriptor.append(p.descriptorString());
        }
        descriptor.append(')').append(m.getReturnType().descriptorString());
        ByteArrayOutputStream utf = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(utf)) {
            out.writeUTF(descriptor.toString());
        }
        byte[] sha = MessageDigest.getInstance("SHA-1").digest(utf.toByteArray());
        long hash = 0;
        for (int i = 0; i < 8; i++) {
            hash += ((long) (sha[i] & 0xFF)) << (i * 8);
        }
        return hash;
    }
}
