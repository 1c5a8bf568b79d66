package dev.dopq.server.rmi;


import dev.dopq.api.ApiException;
import dev.dopq.api.ApiLimits;
import dev.dopq.api.ConflictException;
import dev.dopq.api.InvalidRequestException;
import dev.dopq.api.PermissionDeniedException;
import dev.dopq.server.core.Job;

/** Argument checks for calls from the network: strings are not bounded by the deserialization filter. */
final class Checks {
    private Checks() {
    }

    static long jobId(String id) throws InvalidRequestException {
        if (id == null || id.isEmpty() || id.length() > ApiLimits.MAX_ID || !id.chars().allMatch(Character::isDigit)) {
            throw new InvalidRequestException("\"" + shorten(id) + "\" is not a job id (a number like 42)");
        }
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("\"" + shorten(id) + "\" is not a job id (a number like 42)");
        }
    }

    static String text(String value, String what, int max) throws InvalidRequestException {
        if (value == null || value.isEmpty()) {
            throw new InvalidRequestException(what + " is missing");
        }
        if (value.length() > max) {
            throw new InvalidRequestException(what + " is longer than " + max + " characters");
        }
        return value;
    }

    static void admin(Caller caller, String what) throws PermissionDeniedException {
        if (!caller.admin()) {
            throw new PermissionDeniedException("only an admin can " + what
                    + (caller.anonymous() ? " (you are not logged in)" : "; you are " + caller.name()));
        }
    }

    static void authenticated(Caller caller, String what) throws PermissionDeniedException {
        if (caller.anonymous()) {
            throw new PermissionDeniedException("log in to " + what + " (give a token with --token, DOPQ_TOKEN"
                    + " or ~/.dopq/token)");
        }
    }

    /**
     * Like {@link #ownerOrAdmin(Caller, long, String, String)} for a stored job. A job taken from the inbox has
     * no owner until its container_config.json is read (uploads belong to the uploader at once).
     */
    static void mayTouch(Caller caller, Job job, String verb) throws ApiException {
        authenticated(caller, verb + " jobs");
        if (!job.ownerKnown() && !caller.admin()) {
            throw new ConflictException("job " + job.id() + " is still being unpacked and its owner is not known yet;"
                    + " try again in a few seconds");
        }
        if (job.ownerKnown()) {
            ownerOrAdmin(caller, job.id(), job.user(), verb);
        }
    }

    static void ownerOrAdmin(Caller caller, long jobId, String owner, String verb) throws PermissionDeniedException {
        authenticated(caller, verb + " jobs");
        if (!caller.admin() && !caller.owns(owner)) {
            throw new PermissionDeniedException("job " + jobId + " belongs to " + owner + "; only " + owner
                    + " or an admin can " + verb + " it");
        }
    }

    static String shorten(String s) {
        if (s == null) {
            return "";
        }
        String head = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        // callers' text goes into one-line messages and log lines: no forged line breaks
        return head.replaceAll("\\p{Cntrl}", "?");
    }
}
