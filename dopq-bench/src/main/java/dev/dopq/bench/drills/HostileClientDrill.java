package dev.dopq.bench.drills;

import dev.dopq.api.ApiException;
import dev.dopq.api.DopqLogin;
import dev.dopq.api.DopqSession;
import dev.dopq.api.HistoryQuery;
import dev.dopq.bench.Out;
import dev.dopq.bench.harness.ServerProcess;

import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.Socket;
import java.nio.file.Path;
import java.rmi.Remote;
import java.rmi.RemoteException;
import java.rmi.registry.LocateRegistry;
import java.rmi.server.RemoteObject;
import java.rmi.server.RemoteRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * Hostile client drill against a server process: objects outside the API's allow-list (JDK classes that gadget
 * chains are built from), nesting and size bombs, oversized strings, garbage bytes on the port, a registry
 * rebind, calls that try to make the server allocate before it checks them (oversized arrays and chunks, uploads
 * past their size, floods of connections) and sessions that should have ended (a replaced token, a removed user,
 * more sessions than one user may hold). Each must be refused, and after each the server must still answer a normal call. Same approach as
 * dopq-server's {@code HostileSerializationIT} (calls written at the RMI level with {@code Object} parameters),
 * but standalone: the server's own JVM can show no flag, so the refusal is read from the error it returns.
 */
public final class HostileClientDrill {
    private final Path jar;
    private final Path dir;

    /** The API's method names with {@code Object} parameters, so RMI writes whatever we pass. */
    interface Untyped extends Remote {
        Object history(Object query) throws RemoteException;

        Object clearHistory(Object before) throws RemoteException;
    }

    /** One hostile call; returns normally only if the server accepted it. */
    @FunctionalInterface
    interface Attack {
        void send() throws Exception;
    }

    public HostileClientDrill(Path jar, Path dir) {
        this.jar = jar;
        this.dir = dir;
    }

    /**
     * What the drill counted. It passes when every attack reached the server and was refused by it, the server
     * answered a normal call after every attack and its process is still alive at the end. An attack that failed
     * on the client's own side (it could not even be sent) proves nothing about the server: it is counted apart,
     * never as refused.
     */
    public record Result(int attacks, int refused, int accepted, int clientFailed, int unanswered,
                         boolean serverAlive) {
        public boolean passed() {
            return accepted == 0 && clientFailed == 0 && unanswered == 0 && serverAlive;
        }
    }

    /** How one attack ended. */
    enum Verdict { REFUSED, ACCEPTED, CLIENT_FAILED }

    record Outcome(Verdict verdict, String text) {
    }

    /** The server closed or reset the connection after a raw attack: its refusal. */
    private static final class ServerClosed extends Exception {
        private static final long serialVersionUID = 1L;

        ServerClosed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Runs the drill. The server is stopped, and anything it made on the engine (labelled with its instance; it
     * is given no job, so normally nothing) removed, before this returns or throws.
     */
    public Result run() throws Exception {
        ServerProcess server = ServerProcess.configure(jar, dir, "0", "", List.of());
        try {
            server.start(Duration.ofMinutes(2));
            return attack(server);
        } finally {
            server.close();
            ServerLeftovers.remove(ServerLeftovers.instanceOrNull(server.database()));
        }
    }

    private Result attack(ServerProcess server) throws Exception {
        DopqSession admin = server.admin();
        Map<String, Attack> attacks = attacks(server, admin);
        Map<Verdict, Integer> counts = new java.util.EnumMap<>(Verdict.class);
        int unanswered = 0;
        for (Map.Entry<String, Attack> a : attacks.entrySet()) {
            Outcome outcome = outcome(a.getValue());
            counts.merge(outcome.verdict(), 1, Integer::sum);
            boolean serving = stillServing(admin);
            unanswered += serving ? 0 : 1;
            Out.line("%-55s %s; server %s", a.getKey(), outcome.text(), serving ? "serving" : "NOT SERVING");
        }
        Result result = new Result(attacks.size(), counts.getOrDefault(Verdict.REFUSED, 0),
                counts.getOrDefault(Verdict.ACCEPTED, 0), counts.getOrDefault(Verdict.CLIENT_FAILED, 0), unanswered,
                server.alive());
        Out.line("%s hostile client drill: %d attacks, %d refused, %d accepted, %d failed on the client's side,"
                        + " %d left the server unanswering", result.passed() ? "PASS" : "FAIL", attacks.size(),
                result.refused(), result.accepted(), result.clientFailed(), unanswered);
        return result;
    }

    private Map<String, Attack> attacks(ServerProcess server, DopqSession admin) throws Exception {
        Method history = DopqSession.class.getMethod("history", HistoryQuery.class);
        Method clear = DopqSession.class.getMethod("clearHistory", Instant.class);
        Map<String, Attack> attacks = new LinkedHashMap<>();
        attacks.put("HashMap as a history query", () -> untyped(admin, history, new HashMap<>(Map.of("a", "b"))));
        attacks.put("PriorityQueue (gadget carrier) as a history query",
                () -> untyped(admin, history, new PriorityQueue<>(List.of(1, 2, 3))));
        attacks.put("BadAttributeValueExpException as an instant", () -> untyped(admin, clear,
                new javax.management.BadAttributeValueExpException("x")));
        attacks.put("Object[] nested 50 deep as a history query", () -> untyped(admin, history, nested(50)));
        attacks.put("HashSet bomb (nested sets) as an instant", () -> untyped(admin, clear, setBomb(30)));
        attacks.put("ArrayList of 200,000 strings as a history query", () -> untyped(admin, history, manyRefs()));
        attacks.put("login with a 10 MB user name", () -> login(server).login("a".repeat(10 << 20), "t"));
        attacks.put("login with a 10 MB token", () -> login(server).login("admin", "t".repeat(10 << 20)));
        attacks.put("job detail with a 2000-digit id", () -> admin.job("1".repeat(2000)));
        attacks.put("history with a 10 MB user name", () -> admin.history(new HistoryQuery("u".repeat(10 << 20),
                null, 10, null)));
        attacks.put("history with limit 2^31-1", () -> admin.history(new HistoryQuery(null, null,
                Integer.MAX_VALUE, null)));
        attacks.put("login with a wrong token", () -> login(server).login("admin", "admin.wrong"));
        attacks.put("1 MB of random bytes on the RMI port", () -> garbage(server, 1 << 20));
        attacks.put("registry rebind of the login entry", () -> LocateRegistry.getRegistry("127.0.0.1",
                port(server)).rebind(DopqLogin.BINDING, admin));
        allocationAttacks(server, admin, attacks);
        sessionAttacks(server, admin, attacks);
        return attacks;
    }

    /** Calls that try to make the server allocate before (or without) being authenticated and checked. */
    private static void allocationAttacks(ServerProcess server, DopqSession admin, Map<String, Attack> attacks)
            throws Exception {
        Method history = DopqSession.class.getMethod("history", HistoryQuery.class);
        attacks.put("byte[] of 64 MB as a history query", () -> untyped(admin, history, new byte[64 << 20]));
        attacks.put("upload chunk of 3 MB", () -> admin.uploadChunk(admin.beginUpload("big.zip", 3 << 20),
                new byte[3 << 20]));
        attacks.put("upload announcing 1 TB", () -> admin.beginUpload("huge.zip", 1L << 40));
        attacks.put("upload chunk past the announced size", () -> admin.uploadChunk(admin.beginUpload("s.zip", 4),
                new byte[8]));
        attacks.put("upload chunk to another session's upload", () -> {
            String id = admin.beginUpload("theirs.zip", 4);
            server.admin().uploadChunk(id, new byte[4]);
        });
        attacks.put("upload without logging in (anonymous session)", () -> login(server).anonymous()
                .beginUpload("anon.zip", 4));
        attacks.put("200 idle connections from one address", () -> holdConnections(server, 200));
    }

    /** Sessions that should have ended, and more sessions than one user may hold. */
    private static void sessionAttacks(ServerProcess server, DopqSession admin, Map<String, Attack> attacks) {
        attacks.put("a session used after its token was replaced", () -> {
            String token = tokenOf(admin, "drill-rotated");
            DopqSession old = login(server).login("drill-rotated", token);
            admin.newToken("drill-rotated");
            old.whoami();
        });
        attacks.put("a session used after its user was removed", () -> {
            DopqSession gone = login(server).login("drill-removed", tokenOf(admin, "drill-removed"));
            admin.removeUser("drill-removed");
            gone.whoami();
        });
        attacks.put("50 sessions of one user, then the first is used", () -> {
            String token = tokenOf(admin, "drill-hoarder");
            DopqSession first = login(server).login("drill-hoarder", token);
            for (int i = 0; i < 50; i++) {
                login(server).login("drill-hoarder", token).whoami();
            }
            first.whoami();
        });
    }

    private static String tokenOf(DopqSession admin, String user) throws Exception {
        return admin.listUsers().stream().anyMatch(u -> u.name().equals(user)) ? admin.newToken(user)
                : admin.addUser(user, false);
    }

    /**
     * Opens {@code count} connections and sends nothing on them; refused when the server closed some of them
     * ({@code [api] max_connections}).
     */
    private static void holdConnections(ServerProcess server, int count) throws Exception {
        List<Socket> held = new ArrayList<>();
        int closed = 0;
        try {
            for (int i = 0; i < count; i++) {
                held.add(new Socket("127.0.0.1", port(server)));
            }
            for (Socket s : held) {
                s.setSoTimeout(200);
                try {
                    closed += s.getInputStream().read() < 0 ? 1 : 0;
                } catch (java.net.SocketTimeoutException open) {
                    // kept open by the server
                } catch (java.io.IOException reset) {
                    closed++;
                }
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
        if (closed == 0) {
            return;
        }
        throw new ServerClosed("the server closed " + closed + " of " + count + " connections", null);
    }

    /**
     * Refused: a typed API error, an error the server raised (ServerException, a reply it cut off), or a raw
     * connection it closed. Failed on the client's side: the call could not be written (MarshalException), the
     * server was not reached (ConnectException), or the client itself threw.
     */
    static Outcome outcome(Attack attack) {
        try {
            attack.send();
            return new Outcome(Verdict.ACCEPTED, "ACCEPTED");
        } catch (ApiException e) {
            return refused(e);
        } catch (ServerClosed e) {
            return new Outcome(Verdict.REFUSED, "refused: " + e.getMessage());
        } catch (java.rmi.MarshalException e) {
            // a call the server's socket guard cut off while it was being written arrives as a broken pipe
            if (rootOf(e) instanceof java.net.SocketException) {
                return new Outcome(Verdict.REFUSED, "refused: the server closed the connection mid-call ("
                        + describe(e) + ")");
            }
            return new Outcome(Verdict.CLIENT_FAILED, "CLIENT FAILED, never reached the server: " + describe(e));
        } catch (java.rmi.ConnectException e) {
            return new Outcome(Verdict.CLIENT_FAILED, "CLIENT FAILED, never reached the server: " + describe(e));
        } catch (java.rmi.RemoteException e) {
            return refused(e);
        } catch (Exception | StackOverflowError e) {
            return new Outcome(Verdict.CLIENT_FAILED, "CLIENT FAILED: " + describe(e));
        }
    }

    private static Outcome refused(Exception e) {
        return new Outcome(Verdict.REFUSED, "refused: " + describe(e));
    }

    private static Throwable rootOf(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + " " + shorten(root.getMessage());
    }

    /**
     * The attacks' own admin session still answers: the server serves, and no attack ended that session (a new
     * login per check would itself pass the cap on sessions per user and end the attacks' session).
     */
    private static boolean stillServing(DopqSession admin) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                // A refused call can leave its connection unread; the client's next use of it fails once.
                return admin.status() != null;
            } catch (Exception retry) {
                continue;
            }
        }
        return false;
    }

    private static DopqLogin login(ServerProcess server) throws Exception {
        return (DopqLogin) LocateRegistry.getRegistry("127.0.0.1", port(server)).lookup(DopqLogin.BINDING);
    }

    private static int port(ServerProcess server) throws Exception {
        for (String line : java.nio.file.Files.readAllLines(server.dir().resolve("config.ini"))) {
            if (line.startsWith("port = ")) {
                return Integer.parseInt(line.substring(7).strip());
            }
        }
        throw new IllegalStateException("no port in config.ini");
    }

    private static void garbage(ServerProcess server, int bytes) throws Exception {
        byte[] junk = new byte[bytes];
        new Random(1).nextBytes(junk);
        try (Socket s = new Socket("127.0.0.1", port(server))) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(junk);
            out.flush();
            int answer = s.getInputStream().read();
            if (answer >= 0) {
                throw new ServerClosed("server answered garbage with byte " + answer + " then closed", null);
            }
            throw new ServerClosed("server closed the connection", null);
        } catch (java.net.SocketException closed) {
            throw new ServerClosed("server reset the connection", closed);
        }
    }

    private static Object nested(int depth) {
        Object o = "leaf";
        for (int i = 0; i < depth; i++) {
            o = new Object[] {o};
        }
        return o;
    }

    /** The classic deserialization bomb: nested sets whose hashing work doubles per level. */
    private static Object setBomb(int depth) {
        java.util.Set<Object> root = new java.util.HashSet<>();
        java.util.Set<Object> s1 = root;
        java.util.Set<Object> s2 = new java.util.HashSet<>();
        for (int i = 0; i < depth; i++) {
            java.util.Set<Object> t1 = new java.util.HashSet<>();
            java.util.Set<Object> t2 = new java.util.HashSet<>();
            t1.add("x" + i);
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return root;
    }

    private static Object manyRefs() {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            list.add("s" + i);
        }
        return list;
    }

    /** Calls the session's {@code real} method on the wire with {@code arg} in place of its typed parameter. */
    private static void untyped(Remote target, Method real, Object arg) throws Exception {
        RemoteRef ref = ((RemoteObject) Proxy.getInvocationHandler(target)).getRef();
        Method untyped = Untyped.class.getMethod(real.getName(), Object.class);
        ref.invoke(target, untyped, new Object[] {arg}, RmiHashes.methodHash(real));
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replaceAll("\\s+", " ");
        return one.length() > 90 ? one.substring(0, 90) + "..." : one;
    }
}
