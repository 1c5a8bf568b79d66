package dev.dopq.server.web;

import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class WebSessionsTest {
    private final MutableClock clock = MutableClock.at("2026-01-01T10:00:00Z");
    private final WebSessions sessions = new WebSessions(clock, false);

    @Test
    void ending_a_users_sessions_ends_all_of_theirs_and_no_one_elses() {
        WebSessions.Session ana1 = sessions.start("ana", false);
        WebSessions.Session ana2 = sessions.start("ana", true);
        WebSessions.Session bob = sessions.start("bob", false);

        assertThat(sessions.endAll("ana")).isEqualTo(2);

        assertThat(sessions.byId(ana1.id())).isEmpty();
        assertThat(sessions.byId(ana2.id())).isEmpty();
        assertThat(sessions.byId(bob.id())).contains(bob);
        assertThat(sessions.endAll("ana")).isZero();
    }

    @Test
    void a_session_ends_after_its_time_to_live_and_ids_and_csrf_tokens_are_not_guessable_repeats() {
        WebSessions.Session s = sessions.start("ana", false);
        WebSessions.Session t = sessions.start("ana", false);
        assertThat(s.id()).isNotEqualTo(t.id()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(s.csrf()).isNotEqualTo(s.id()).isNotEqualTo(t.csrf());

        clock.advance(WebSessions.TTL.minus(Duration.ofSeconds(1)));
        assertThat(sessions.byId(s.id())).isPresent();
        clock.advance(Duration.ofSeconds(2));
        assertThat(sessions.byId(s.id())).isEmpty();
        assertThat(sessions.byId(null)).isEmpty();
    }
}
