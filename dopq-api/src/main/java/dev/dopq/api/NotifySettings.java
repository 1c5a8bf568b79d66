package dev.dopq.api;

import java.io.Serializable;

/**
 * Where a user is told that their jobs ended ({@code dopq notify}).
 *
 * @param user    the user
 * @param webhook URL that gets a POST for each of the user's finished jobs, or null
 * @param email   address that gets an e-mail for each of the user's finished jobs, or null
 */
public record NotifySettings(String user, String webhook, String email) implements Serializable {
    private static final long serialVersionUID = 1L;
}
