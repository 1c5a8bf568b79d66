package dev.dopq.server.service;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dopq.server.store.UserStore;
import dev.dopq.server.store.UserStore.StoredUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Imports the Python DoPQ's user database (pickleDB JSON: {@code {"name": {"password": "<md5>", "email": "..."}}})
 * once: each user becomes a dopq user with DoPQ's e-mail and a fresh token; nobody keeps a password. New tokens
 * are appended to a token file readable only by the server's user, one {@code name token} line each, before the
 * users are stored. A user imported before is never imported again, so its token is never rewritten.
 */
public final class DopqUserImport {
    private static final Logger LOG = LoggerFactory.getLogger(DopqUserImport.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String SHAPE = "DoPQ's user database is pickleDB JSON like"
            + " {\"ana\": {\"password\": \"<md5>\", \"email\": \"ana@lab.org\"}}";

    /** What one import did: users given a token now, users imported before or holding a token already. */
    public record Result(List<String> imported, List<String> alreadyKnown, List<String> refused) {
    }

    private final UserStore users;
    private final Clock clock;

    public DopqUserImport(UserStore users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    /**
     * Imports the users of {@code database}; new tokens go to {@code tokenFile}.
     *
     * @throws UserImportException when the file cannot be read or is not a DoPQ user database (naming the file)
     */
    public Result run(Path database, Path tokenFile) {
        Map<String, String> entries = read(database);
        Instant now = clock.instant();
        List<String> alreadyKnown = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        Map<String, String> tokens = new LinkedHashMap<>();
        List<StoredUser> updates = new ArrayList<>();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            if (!UserNames.isValid(e.getKey())) {
                refused.add(e.getKey());
                LOG.warn("{}: user \"{}\" is not imported: dopq user names are 1-32 of a-z 0-9 _ - (starting with a"
                        + " letter or digit); add the user under such a name with dopq user add", database,
                        e.getKey());
                continue;
            }
            String name = UserNames.normalize(e.getKey());
            StoredUser known = users.find(name).orElse(null);
            if ((known != null && known.importedAt() != null) || tokens.containsKey(name)) {
                alreadyKnown.add(name);
                continue;
            }
            if (known != null && known.tokenHash() != null) {
                updates.add(known.imported(e.getValue(), now)); // keeps the token it has
                alreadyKnown.add(name);
                continue;
            }
            String token = Tokens.newToken(name);
            tokens.put(name, token);
            StoredUser base = known != null ? known : new StoredUser(name, false, null, false, now);
            updates.add(base.withTokenHash(Tokens.hash(token)).imported(e.getValue(), now));
        }
        if (!tokens.isEmpty()) {
            appendTokens(tokenFile, tokens);
        }
        updates.forEach(users::put);
        if (!tokens.isEmpty()) {
            LOG.info("imported {} user(s) from DoPQ's user database {}: {}; their tokens are in {} (readable only by"
                    + " this user), one 'name token' line each, to hand out", tokens.size(), database,
                    String.join(", ", tokens.keySet()), tokenFile.toAbsolutePath());
        } else {
            LOG.info("DoPQ's user database {}: nothing new to import ({} user(s) imported before)", database,
                    alreadyKnown.size());
        }
        return new Result(List.copyOf(tokens.keySet()), alreadyKnown, refused);
    }

    /** User name to e-mail (null when none), in file order. */
    static Map<String, String> read(Path database) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(database, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new UserImportException(database + ": no such file; fix [users] dopq_database (DoPQ: [paths]"
                    + " user_database.dir) or remove the line");
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new UserImportException(database + ": is not a DoPQ user database: " + e.getOriginalMessage()
                    .lines().findFirst().orElse("") + (at == null ? "" : " (line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ")") + "; " + SHAPE);
        } catch (IOException e) {
            throw new UserImportException(database + ": cannot be read (" + e + ")");
        }
        if (root == null || !root.isObject()) {
            throw new UserImportException(database + ": is not a DoPQ user database: the top level is not an object; "
                    + SHAPE);
        }
        Map<String, String> entries = new LinkedHashMap<>();
        List<String> malformed = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode email = e.getValue().get("email");
            if (!e.getValue().isObject() || email != null && !email.isTextual() && !email.isNull()) {
                malformed.add(e.getKey());
                continue;
            }
            entries.put(e.getKey(), email == null || email.isNull() || email.asText().isBlank() ? null
                    : email.asText().trim());
        }
        if (!malformed.isEmpty()) {
            throw new UserImportException(database + ": is not a DoPQ user database: the entries of "
                    + String.join(", ", malformed) + " are not objects with password and email; " + SHAPE);
        }
        return entries;
    }

    /** Appends {@code name token} lines to a file only this user can read, created without following links. */
    private static void appendTokens(Path file, Map<String, String> tokens) {
        StringBuilder lines = new StringBuilder();
        tokens.forEach((name, token) -> lines.append(name).append(' ').append(token).append('\n'));
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (SeekableByteChannel ch = Files.newByteChannel(file, options,
                    PosixFilePermissions.asFileAttribute(ownerOnly))) {
                if (!Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS).equals(ownerOnly)) {
                    throw new UserImportException(file + ": exists and others may read it; remove it or chmod 600"
                            + " it, then start again (no user was imported)");
                }
                ByteBuffer buf = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (ch instanceof java.nio.channels.FileChannel fc) {
                    fc.force(true);
                }
            }
        } catch (IOException e) {
            throw new UserImportException("cannot write the imported users' tokens to " + file + " (" + e
                    + "); no user was imported");
        }
    }
}
