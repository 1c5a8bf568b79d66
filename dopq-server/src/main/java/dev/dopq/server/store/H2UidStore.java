package dev.dopq.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

/** {@link UidStore} on the H2 database of {@link Database}; a unique uid column keeps two users apart. */
public final class H2UidStore implements UidStore {
    private final Jdbc jdbc;

    H2UidStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public OptionalLong find(String user) {
        return jdbc.inTransaction("read the uid of " + user, c -> stored(c, user));
    }

    @Override
    public synchronized long allocate(String user, long first, long last) {
        return jdbc.inTransaction("give " + user + " a uid", c -> {
            OptionalLong known = stored(c, user);
            if (known.isPresent()) {
                return known.getAsLong();
            }
            long uid = lowestFree(c, first, last);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO user_uids (user_name, uid) VALUES (?, ?)")) {
                ps.setString(1, user);
                ps.setLong(2, uid);
                ps.executeUpdate();
            }
            return uid;
        });
    }

    private static OptionalLong stored(Connection c, String user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT uid FROM user_uids WHERE user_name = ?")) {
            ps.setString(1, user);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** The first uid of the range, or one after a taken one whose successor is free. */
    private static long lowestFree(Connection c, long first, long last) throws SQLException {
        String sql = """
                SELECT MIN(candidate) FROM (
                  SELECT CAST(? AS BIGINT) AS candidate
                  UNION ALL SELECT uid + 1 FROM user_uids WHERE uid BETWEEN ? AND ?) AS c
                WHERE candidate <= ? AND NOT EXISTS (SELECT 1 FROM user_uids u WHERE u.uid = candidate)""";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, first);
            ps.setLong(2, first);
            ps.setLong(3, last);
            ps.setLong(4, last);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long uid = rs.getLong(1);
                if (rs.wasNull()) {
                    throw new StoreException("every uid of " + first + "-" + last + " is taken; widen [docker]"
                            + " uid_range or give users their uid in [users] uids");
                }
                return uid;
            }
        }
    }
}
