package dev.dopq.server.it;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.dopq.api.DopqSession;
import dev.dopq.api.InvalidRequestException;
import dev.dopq.api.JobView;
import dev.dopq.api.NotifySettings;
import dev.dopq.server.testutil.Await;
import dev.dopq.server.testutil.EngineLeftovers;
import dev.dopq.server.testutil.TestServer;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static dev.dopq.server.testutil.JobZips.aZip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code dopq notify set --email}: a real SMTP server (GreenMail) started here receives the job's end. */
class EmailNotificationIT {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;
    private GreenMail smtp;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        smtp = new GreenMail(new ServerSetup(TestServer.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        server = TestServer.start(dir, "0", "[notify]\nsmtp_host = 127.0.0.1\nsmtp_port = "
                + smtp.getSmtp().getPort() + "\nsmtp_from = dopq@gpu1.lab.example\nbackoff = 1s\n");
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
            EngineLeftovers.removeOf(server.instance());
        }
        smtp.stop();
    }

    @Test
    void a_user_who_set_an_address_gets_one_mail_when_their_job_ends_and_others_get_none() throws Exception {
        DopqSession admin = server.admin();
        DopqSession ana = server.login("ana", admin.newToken("ana"));
        NotifySettings set = ana.setNotify(null, "ana@lab.example");
        assertThat(set).isEqualTo(new NotifySettings("ana", null, "ana@lab.example"));
        assertThat(ana.notifySettings()).isEqualTo(set);
        assertThatThrownBy(() -> ana.setNotify("file:///etc/passwd", null))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("http or https URL");
        assertThatThrownBy(() -> ana.setNotify(null, "not an address"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not an e-mail address");

        aZip().name("mailed").user("ana").command("sh", "-c", "exit 3").dropInto(server.inbox(), "mailed.zip");
        aZip().name("quiet").user("bob").command("true").dropInto(server.inbox(), "quiet.zip");
        JobView mailed = TestServer.awaitHistory(admin, j -> j.name().equals("mailed"), WAIT).orElseThrow();
        TestServer.awaitHistory(admin, j -> j.name().equals("quiet"), WAIT).orElseThrow();
        MimeMessage[] got = Await.until("the e-mail", WAIT, () -> smtp.getReceivedMessages().length > 0
                ? Optional.of(smtp.getReceivedMessages()) : Optional.empty());

        assertThat(got).hasSize(1);
        assertThat(got[0].getAllRecipients()[0].toString()).isEqualTo("ana@lab.example");
        assertThat(got[0].getFrom()[0].toString()).isEqualTo("dopq@gpu1.lab.example");
        assertThat(got[0].getSubject()).startsWith("dopq: job " + mailed.id() + " \"mailed\" of ana FAILED (exit 3)");
        assertThat((String) got[0].getContent()).contains("\"state\" : \"FAILED\"");
    }
}
