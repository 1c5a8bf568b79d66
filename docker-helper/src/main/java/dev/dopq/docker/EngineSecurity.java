package dev.dopq.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the engine maps container users to other host users (user namespaces, {@code dockerd --userns-remap}).
 * With it, uid 0 in a container is an unprivileged subordinate uid on the host, and every container uid {@code u}
 * is {@code uidOffset + u} there.
 *
 * @param remapped  whether {@code docker info} lists {@code name=userns} among its security options
 * @param uidOffset host uid of container uid 0 ({@code 0} without remapping, or when the engine did not tell)
 * @param gidOffset host gid of container gid 0
 */
public record EngineSecurity(boolean remapped, long uidOffset, long gidOffset) {

    /** An engine without user namespaces: container uids are host uids. */
    public static final EngineSecurity PLAIN = new EngineSecurity(false, 0, 0);

    /** The engine's data root ends in {@code <uid>.<gid>} of the remapped root, e.g. /var/lib/docker/165536.165536. */
    private static final Pattern REMAP_ROOT = Pattern.compile("/(\\d+)\\.(\\d+)/?$");

    /** Asks the engine ({@code docker info}). */
    public static EngineSecurity of(DockerClient client) {
        Info info = client.infoCmd().exec();
        return from(info.getSecurityOptions(), info.getDockerRootDir());
    }

    /** Reads {@code docker info}'s security options and data root. */
    static EngineSecurity from(List<String> securityOptions, String dockerRootDir) {
        boolean userns = securityOptions != null && securityOptions.stream()
                .anyMatch(o -> o.equals("userns") || o.startsWith("name=userns"));
        if (!userns) {
            return PLAIN;
        }
        Matcher m = dockerRootDir == null ? null : REMAP_ROOT.matcher(dockerRootDir);
        if (m != null && m.find()) {
            return new EngineSecurity(true, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        }
        return new EngineSecurity(true, 0, 0);
    }

    /** The host uid that container uid {@code uid} is. */
    public long hostUid(long uid) {
        return uidOffset + uid;
    }

    /** The host gid that container gid {@code gid} is. */
    public long hostGid(long gid) {
        return gidOffset + gid;
    }
}
