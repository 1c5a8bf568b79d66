package dev.dopq.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** {@link SettingsStore} on the H2 database of {@link Database}. */
public final class H2SettingsStore implements SettingsStore {
    private final Jdbc jdbc;

    H2SettingsStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<String> get(String key) {
        return jdbc.inTransaction("read setting " + key, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT setting_value FROM settings WHERE setting_key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public void put(String key, String value) {
        jdbc.inTransaction("store setting " + key, c -> {
            String sql = value == null ? "DELETE FROM settings WHERE setting_key = ?"
                    : "MERGE INTO settings (setting_key, setting_value) KEY (setting_key) VALUES (?, ?)";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, key);
                if (value != null) {
                    ps.setString(2, value);
                }
                return ps.executeUpdate();
            }
        });
    }
}
