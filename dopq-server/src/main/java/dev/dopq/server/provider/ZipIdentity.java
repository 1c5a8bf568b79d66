package dev.dopq.server.provider;

import dev.dopq.server.config.DopqConfig.Provider.Identity;
import dev.dopq.server.files.SourceInfo;
import dev.dopq.server.service.UserNames;

import java.util.Locale;
import java.util.function.Predicate;

/**
 * Decides whose a taken zip is ({@code [provider] identity}). Uploads are the uploader's (the API checked the
 * token). From the share: with {@code folder} the user whose folder {@code <inbox>/<user>/} holds the zip, with
 * {@code owner} the user the file's owning uid maps to, with {@code claim} whoever executor_name names.
 */
final class ZipIdentity {
    private final Identity mode;
    private final String inboxName;
    private final Predicate<String> known;

    /**
     * @param inboxName how users know the inbox (its folder name), for reasons that say where to put a zip
     * @param known     whether a name is a user whose zips run
     */
    ZipIdentity(Identity mode, String inboxName, Predicate<String> known) {
        this.mode = mode;
        this.inboxName = inboxName;
        this.known = known;
    }

    Identity mode() {
        return mode;
    }

    /** The user proven by where (or by whom) the zip was dropped, or null when nothing proves one. */
    String proven(SourceInfo source) {
        if (source.upload()) {
            return source.folder();
        }
        String candidate = switch (mode) {
            case FOLDER, CLAIM -> source.folder();
            case OWNER -> ownerName(source);
        };
        return candidate != null && UserNames.isValid(candidate) && known.test(UserNames.normalize(candidate))
                ? UserNames.normalize(candidate) : null;
    }

    /** The name executor_name stands for when it is left out: the proven user (folder rule and uploads only). */
    String defaultExecutor(SourceInfo source) {
        return source.upload() || mode == Identity.FOLDER ? proven(source) : null;
    }

    /** Why the zip may not run before its config is read (where it lies), or null. */
    String refuseBeforeReading(SourceInfo source) {
        if (source.upload() || mode != Identity.FOLDER || proven(source) != null) {
            return null;
        }
        if (source.folder().isEmpty()) {
            return "zips at the top of the inbox are not run; put it in " + inboxName
                    + "/<user>/, the folder of the user it runs as";
        }
        return "\"" + source.folder() + "\" is not the folder of a known user; put the zip in " + inboxName
                + "/<user>/, the folder of the user it runs as";
    }

    /** Why a zip whose executor_name is {@code claimed} may not run, or null when it may. */
    String refuse(SourceInfo source, String claimed) {
        if (source.upload()) {
            return null; // the API compared executor_name with the token's user already
        }
        return switch (mode) {
            case CLAIM -> null;
            case FOLDER -> claimed.equals(proven(source)) ? null : "the zip is in " + source.folder()
                    + "'s folder (" + inboxName + "/" + source.folder() + "/) but its executor_name names \""
                    + claimed + "\"; " + source.folder() + " can only submit as " + source.folder()
                    + " (leave executor_name out or write \"" + source.folder() + "\")";
            case OWNER -> refuseOwner(source, claimed);
        };
    }

    private String refuseOwner(SourceInfo source, String claimed) {
        if (source.ownerUid() == 0) {
            return "the zip file is owned by root, which is nobody's proof; copy it as " + claimed
                    + " (identity = owner)";
        }
        String owner = ownerName(source);
        if (owner == null) {
            return "the zip file's owner (uid " + source.ownerUid() + ") is no user of this host; copy it as "
                    + claimed + " (identity = owner)";
        }
        return owner.equals(claimed) ? null : "the zip file belongs to \"" + owner + "\" but its executor_name names \""
                + claimed + "\" (identity = owner)";
    }

    /** The owner's name in lower case, or null when the uid maps to no name (or to root). */
    private static String ownerName(SourceInfo source) {
        String o = source.owner().toLowerCase(Locale.ROOT);
        if (o.isEmpty() || o.chars().allMatch(Character::isDigit) || source.ownerUid() == 0 || o.equals("root")) {
            return null;
        }
        return o;
    }
}
