package dev.dopq.server.core;

import java.time.Instant;

/** One recorded transition: who moved which job from which state to which, when and why. */
public record JobEvent(long jobId, Instant at, String actor, JobState from, JobState to, String reason) {
}
