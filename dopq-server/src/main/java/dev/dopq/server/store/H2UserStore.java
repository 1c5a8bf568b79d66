package dev.dopq.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@link UserStore} on the H2 database of {@link Database}. */
public final class H2UserStore implements UserStore {
    private final Jdbc jdbc;

    H2UserStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<StoredUser> find(String name) {
        return jdbc.inTransaction("read user " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM users WHERE name = ?")) {
                ps.setString(1, name.toLowerCase(Locale.ROOT));
                return H2JobStore.list(ps, H2UserStore::user).stream().findFirst();
            }
        });
    }

    @Override
    public List<StoredUser> all() {
        return jdbc.inTransaction("list users", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM users ORDER BY name")) {
                return H2JobStore.list(ps, H2UserStore::user);
            }
        });
    }

    @Override
    public void put(StoredUser user) {
        StoredUser u = InMemoryUserStore.lowerCased(user);
        jdbc.inTransaction("store user " + u.name(), c -> {
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO users (name, admin, token_hash, from_config,"
                    + " created_at, email, imported_at) KEY (name) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, u.name());
                ps.setBoolean(2, u.admin());
                ps.setString(3, u.tokenHash());
                ps.setBoolean(4, u.fromConfig());
                Jdbc.setInstant(ps, 5, u.createdAt());
                ps.setString(6, u.email());
                Jdbc.setInstant(ps, 7, u.importedAt());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public boolean remove(String name) {
        return jdbc.inTransaction("remove user " + name, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE name = ?")) {
                ps.setString(1, name.toLowerCase(Locale.ROOT));
                return ps.executeUpdate() > 0;
            }
        });
    }

    private static StoredUser user(ResultSet rs) throws SQLException {
        return new StoredUser(rs.getString("name"), rs.getBoolean("admin"), rs.getString("token_hash"),
                rs.getBoolean("from_config"), Jdbc.instant(rs, "created_at"), rs.getString("email"),
                Jdbc.instant(rs, "imported_at"));
    }
}
