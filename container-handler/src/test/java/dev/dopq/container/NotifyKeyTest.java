package dev.dopq.container;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotifyKeyTest {
    private static final SpecPolicy POLICY = new SpecPolicy(2, 1L << 35, false, false);

    private static JobSpec parse(String extra) {
        return JobSpecParser.parse("{\"name\": \"train\", \"executor_name\": \"ana\"" + extra + "}", POLICY);
    }

    @Test
    void without_notify_a_job_notifies_of_its_end() {
        assertThat(parse("").notifyOn()).containsExactly("end");
    }

    @Test
    void notify_takes_one_event_or_a_list_and_survives_the_stored_json() {
        JobSpec one = parse(", \"notify\": \"fail\"");
        JobSpec two = parse(", \"notify\": [\"start\", \"END\", \"start\"]");

        assertThat(one.notifyOn()).containsExactly("fail");
        assertThat(two.notifyOn()).containsExactly("start", "end");
        assertThat(JobSpec.fromJson(two.toJson()).notifyOn()).containsExactly("start", "end");
    }

    @Test
    void a_spec_stored_before_notify_existed_reads_as_end() {
        String old = parse("").toJson().replace(",\"notify\":[\"end\"]", "");

        assertThat(old).doesNotContain("notify");
        assertThat(JobSpec.fromJson(old).notifyOn()).containsExactly("end");
    }

    @Test
    void an_unknown_event_is_refused_with_what_is_allowed() {
        assertThatThrownBy(() -> parse(", \"notify\": [\"end\", \"sms\"]"))
                .isInstanceOf(SpecRejectedException.class)
                .hasMessageContaining("notify must be end, start or fail");
    }
}
