package dev.dopq.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.dopq.api.NotFoundException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientFilterTest {

    private static Object roundTrip(Object value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            in.setObjectInputFilter(dev.dopq.api.SerialFilters.clientFilter());
            return in.readObject();
        }
    }

    @Test
    void api_records_in_immutable_lists_with_instants_are_read() throws Exception {
        Object jobs = roundTrip(FakeSession.HISTORY);

        assertThat(jobs).isEqualTo(FakeSession.HISTORY);
    }

    @Test
    void api_exceptions_are_read() throws Exception {
        Throwable exception = (Throwable) roundTrip(new NotFoundException("no job 7"));

        assertThat(exception).isInstanceOf(NotFoundException.class).hasMessage("no job 7");
    }

    @Test
    void a_list_carrying_a_class_outside_the_allow_list_is_refused() {
        assertThatThrownBy(() -> roundTrip(List.of(Instant.EPOCH, new Date(0))))
                .isInstanceOf(InvalidClassException.class)
                .hasMessageContaining("REJECTED");
    }
}
