package dev.dopq.server.store;

import dev.dopq.server.core.PenaltySnapshot;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link PenaltySnapshots} in the one-row table {@code penalty_snapshot}. The users are one text value, a line per
 * user ({@code name TAB value TAB asOf-seconds TAB asOf-nanos TAB asOf-finish}); doubles are written in Java's
 * shortest exact form, so a restored policy equals the saved one bit for bit.
 */
final class H2PenaltySnapshots implements PenaltySnapshots {
    private final Jdbc jdbc;
    private final ReplayCover cover;

    H2PenaltySnapshots(Jdbc jdbc, ReplayCover cover) {
        this.jdbc = jdbc;
        this.cover = cover;
    }

    @Override
    public Optional<Saved> load() {
        return jdbc.inTransaction("read the penalty snapshot", c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT policy, finishes, covered_up_to, taken_at, users"
                         + " FROM penalty_snapshot WHERE id = 1")) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                PenaltySnapshot penalties = new PenaltySnapshot(rs.getString("policy"), rs.getLong("finishes"),
                        users(rs.getString("users")));
                return Optional.of(new Saved(penalties, Jdbc.instant(rs, "covered_up_to"),
                        Jdbc.instant(rs, "taken_at")));
            }
        });
    }

    @Override
    public boolean cover(Instant upTo) {
        return cover.cover(upTo);
    }

    @Override
    public boolean save(Saved snapshot) {
        return cover.saveIfHeld(() -> jdbc.inTransaction("save the penalty snapshot", c -> {
            try (PreparedStatement ps = c.prepareStatement("MERGE INTO penalty_snapshot (id, policy, finishes,"
                    + " covered_up_to, taken_at, users) KEY (id) VALUES (1, ?, ?, ?, ?, ?)")) {
                ps.setString(1, snapshot.penalties().policy());
                ps.setLong(2, snapshot.penalties().finishes());
                Jdbc.setInstant(ps, 3, snapshot.coveredUpTo());
                Jdbc.setInstant(ps, 4, snapshot.takenAt());
                ps.setString(5, text(snapshot.penalties().users()));
                ps.executeUpdate();
            }
            return true;
        }));
    }

    static String text(List<PenaltySnapshot.UserPenalty> users) {
        StringBuilder sb = new StringBuilder();
        for (PenaltySnapshot.UserPenalty u : users) {
            sb.append(u.user()).append('\t').append(u.value()).append('\t')
                    .append(u.asOf() == null ? "" : u.asOf().getEpochSecond()).append('\t')
                    .append(u.asOf() == null ? "" : u.asOf().getNano()).append('\t')
                    .append(u.asOfFinish()).append('\n');
        }
        return sb.toString();
    }

    static List<PenaltySnapshot.UserPenalty> users(String text) {
        List<PenaltySnapshot.UserPenalty> users = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            Instant asOf = f[2].isEmpty() ? null : Instant.ofEpochSecond(Long.parseLong(f[2]), Long.parseLong(f[3]));
            users.add(new PenaltySnapshot.UserPenalty(f[0], Double.parseDouble(f[1]), asOf, Long.parseLong(f[4])));
        }
        return users;
    }
}
