package dev.dopq.server.service;

import dev.dopq.server.store.InMemoryUserStore;
import dev.dopq.server.store.UserStore.StoredUser;
import dev.dopq.server.testutil.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DoPQ's pickleDB user database becomes dopq users with tokens, once. */
class DopqUserImportTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final DopqUserImport importer = new DopqUserImport(users, clock);

    private Path dopqDatabase() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/dopq/dopq_database.db")) {
            return Files.write(dir.resolve("dopq_database.db"), in.readAllBytes());
        }
    }

    private Path tokenFile() {
        return dir.resolve("state/dopq-users.tokens");
    }

    @Test
    void each_user_gets_a_fresh_token_in_an_owner_only_file_keeps_the_email_and_no_password() throws IOException {
        DopqUserImport.Result result = importer.run(dopqDatabase(), tokenFile());

        assertThat(result.imported()).containsExactly("reza", "anees", "ilja");
        assertThat(Files.getPosixFilePermissions(tokenFile())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        List<String> lines = Files.readAllLines(tokenFile());
        assertThat(lines).hasSize(3).allSatisfy(l -> assertThat(l).matches("[a-z]+ [a-z]+\\.[A-Za-z0-9_-]{43}"));
        for (String line : lines) {
            String[] nameToken = line.split(" ");
            StoredUser u = users.find(nameToken[0]).orElseThrow();
            assertThat(Tokens.matches(nameToken[1], u.tokenHash())).isTrue();
            assertThat(u.email()).isEqualTo(nameToken[0] + "@lab.example");
            assertThat(u.importedAt()).isEqualTo(T0);
            assertThat(u.admin()).isFalse();
        }
        assertThat(Files.readString(tokenFile())).doesNotContain("e52d98c459819a11775936d8dfbb7929");
        assertThat(users.all().stream().map(StoredUser::tokenHash))
                .doesNotContain("e52d98c459819a11775936d8dfbb7929");
    }

    @Test
    void a_second_import_imports_nothing_and_rewrites_no_token() throws IOException {
        Path db = dopqDatabase();
        importer.run(db, tokenFile());
        String tokens = Files.readString(tokenFile());
        List<StoredUser> before = users.all();
        clock.advance(Duration.ofHours(1));

        DopqUserImport.Result again = importer.run(db, tokenFile());

        assertThat(again.imported()).isEmpty();
        assertThat(again.alreadyKnown()).containsExactly("reza", "anees", "ilja");
        assertThat(Files.readString(tokenFile())).isEqualTo(tokens);
        assertThat(users.all()).isEqualTo(before);
    }

    @Test
    void a_user_added_to_the_dopq_database_later_is_appended_and_the_others_stay() throws IOException {
        Path db = Files.writeString(dir.resolve("users.db"), "{\"ana\": {\"password\": \"x\", \"email\": \"a@l\"}}");
        importer.run(db, tokenFile());
        String first = Files.readString(tokenFile());
        Files.writeString(db, "{\"ana\": {\"password\": \"x\", \"email\": \"a@l\"}, \"bo\": {\"password\": \"y\"}}");

        assertThat(importer.run(db, tokenFile()).imported()).containsExactly("bo");

        assertThat(Files.readString(tokenFile())).startsWith(first).contains("\nbo bo.");
        assertThat(users.find("bo").orElseThrow().email()).isNull();
    }

    @Test
    void a_config_listed_user_without_token_gets_one_and_a_user_with_a_token_keeps_it() throws IOException {
        users.put(new StoredUser("reza", false, null, true, T0.minusSeconds(60)));
        users.put(new StoredUser("anees", true, "existing-hash", false, T0.minusSeconds(60)));

        DopqUserImport.Result result = importer.run(dopqDatabase(), tokenFile());

        assertThat(result.imported()).containsExactly("reza", "ilja");
        assertThat(result.alreadyKnown()).containsExactly("anees");
        assertThat(users.find("reza").orElseThrow().tokenHash()).isNotNull();
        assertThat(users.find("reza").orElseThrow().fromConfig()).isTrue();
        StoredUser anees = users.find("anees").orElseThrow();
        assertThat(anees.tokenHash()).isEqualTo("existing-hash");
        assertThat(anees.admin()).isTrue();
        assertThat(anees.email()).isEqualTo("anees@lab.example");
        assertThat(Files.readAllLines(tokenFile())).noneMatch(l -> l.startsWith("anees "));
    }

    @Test
    void a_name_dopq_cannot_use_is_skipped_and_the_others_are_imported() throws IOException {
        Path db = Files.writeString(dir.resolve("users.db"),
                "{\"Dr. Who\": {\"password\": \"x\", \"email\": \"w@l\"}, \"Ana\": {\"password\": \"y\", \"email\": \"a@l\"}}");

        DopqUserImport.Result result = importer.run(db, tokenFile());

        assertThat(result.refused()).containsExactly("Dr. Who");
        assertThat(result.imported()).containsExactly("ana");
    }

    @Test
    void a_malformed_database_is_refused_naming_the_file_and_the_place_and_imports_nobody() throws IOException {
        Path db = Files.writeString(dir.resolve("broken.db"), "{\"ana\": {\"password\": \"x\",\n \"email\" \"a@l\"}}");

        assertThatThrownBy(() -> importer.run(db, tokenFile())).isInstanceOf(UserImportException.class)
                .hasMessageStartingWith(db + ": is not a DoPQ user database: ")
                .hasMessageContaining("(line 2, column")
                .hasMessageContaining("pickleDB JSON like")
                .hasMessageNotContaining("\n");
        assertThat(users.all()).isEmpty();
        assertThat(tokenFile()).doesNotExist();
    }

    @Test
    void entries_that_are_not_user_objects_or_a_top_level_that_is_not_an_object_are_refused() throws IOException {
        Path list = Files.writeString(dir.resolve("list.db"), "[\"ana\"]");
        Path entries = Files.writeString(dir.resolve("entries.db"), "{\"ana\": \"pw\", \"bo\": {\"email\": 3}}");

        assertThatThrownBy(() -> importer.run(list, tokenFile())).isInstanceOf(UserImportException.class)
                .hasMessageContaining("list.db: is not a DoPQ user database: the top level is not an object");
        assertThatThrownBy(() -> importer.run(entries, tokenFile())).isInstanceOf(UserImportException.class)
                .hasMessageContaining("entries.db: is not a DoPQ user database: the entries of ana, bo are not"
                        + " objects with password and email");
        assertThatThrownBy(() -> importer.run(dir.resolve("gone.db"), tokenFile()))
                .isInstanceOf(UserImportException.class).hasMessageContaining("gone.db: no such file");
        assertThat(users.all()).isEmpty();
    }

    @Test
    void the_token_file_is_never_written_through_a_link_or_when_others_can_read_it() throws IOException {
        Path target = Files.writeString(dir.resolve("elsewhere.txt"), "");
        Files.createDirectories(tokenFile().getParent());
        Files.createSymbolicLink(tokenFile(), target);

        assertThatThrownBy(() -> importer.run(dopqDatabase(), tokenFile())).isInstanceOf(UserImportException.class)
                .hasMessageContaining("no user was imported");
        assertThat(target).isEmptyFile();
        assertThat(users.all()).isEmpty();

        Files.delete(tokenFile());
        Files.writeString(tokenFile(), "");
        Files.setPosixFilePermissions(tokenFile(), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> importer.run(dopqDatabase(), tokenFile())).isInstanceOf(UserImportException.class)
                .hasMessageContaining("others may read it");
        assertThat(tokenFile()).isEmptyFile();
        assertThat(users.all()).isEmpty();
    }
}
