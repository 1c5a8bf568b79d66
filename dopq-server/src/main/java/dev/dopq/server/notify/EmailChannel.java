package dev.dopq.server.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** Sends a notification as a plain-text e-mail through the configured SMTP server ({@code [notify] smtp_*}). */
public final class EmailChannel implements Courier.Channel {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String TIMEOUT_MS = "15000";

    /** SMTP settings; user and password may be null. */
    public record Smtp(String host, int port, String user, String password, String from, boolean startTls) {
        @Override
        public String toString() {
            return "Smtp[" + host + ":" + port + ", user=" + user + ", from=" + from + ", startTls=" + startTls + "]";
        }
    }

    private final Smtp smtp;
    private final Session session;

    public EmailChannel(Smtp smtp) {
        this.smtp = smtp;
        Properties p = new Properties();
        p.put("mail.smtp.host", smtp.host());
        p.put("mail.smtp.port", Integer.toString(smtp.port()));
        p.put("mail.smtp.connectiontimeout", TIMEOUT_MS);
        p.put("mail.smtp.timeout", TIMEOUT_MS);
        p.put("mail.smtp.writetimeout", TIMEOUT_MS);
        p.put("mail.smtp.auth", Boolean.toString(smtp.user() != null));
        if (smtp.startTls()) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
            p.put("mail.smtp.ssl.checkserveridentity", "true");
        }
        Authenticator auth = smtp.user() == null ? null : new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(smtp.user(), smtp.password() == null ? "" : smtp.password());
            }
        };
        this.session = Session.getInstance(p, auth);
    }

    @Override
    public void deliver(String target, String body) throws MessagingException, IOException {
        JsonNode n = JSON.readTree(body);
        String text = n.path("text").asText();
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(smtp.from(), true));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(target, true));
        m.setSubject(text.length() > 200 ? text.substring(0, 200) + "…" : text, StandardCharsets.UTF_8.name());
        m.setText(text + "\n\n" + JSON.writeValueAsString(n.path("job")) + "\n", StandardCharsets.UTF_8.name());
        Transport.send(m);
    }
}
