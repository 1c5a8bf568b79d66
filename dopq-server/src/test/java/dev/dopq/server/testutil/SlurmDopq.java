package dev.dopq.server.testutil;

import dev.dopq.api.DopqSession;

import java.nio.file.Path;

/**
 * A dopq server on the Slurm backend over a {@link SlurmCluster} of real daemons (two nodes, each with its own
 * Docker engine), for the Slurm ITs: started together, and closed together with what the server left on the
 * engines.
 */
public final class SlurmDopq implements AutoCloseable {
    private final Path dir;
    private final SlurmCluster cluster;
    private final String ini;
    private TestServer server;

    private SlurmDopq(Path dir, SlurmCluster cluster) {
        this.dir = dir;
        this.cluster = cluster;
        this.ini = "[backend]\nkind = slurm\n\n[slurm]\nconf = " + cluster.conf() + "\nshared = "
                + dir.resolve("shared") + "\npoll = 1s\n\n[queue]\nstop_grace = 3s\nreconcile = 2s\n";
    }

    /** Starts the cluster in {@code dir/slurm}, the nodes' engines, and a server on them (no declared GPUs). */
    public static SlurmDopq start(Path dir) throws Exception {
        SlurmCluster cluster = SlurmCluster.start(dir.resolve("slurm"));
        SlurmDopq dopq = new SlurmDopq(dir, cluster);
        try {
            cluster.startEngines(dir.resolve("shared").resolve("engines"));
            dopq.server = TestServer.start(dir, "none", dopq.ini);
            return dopq;
        } catch (Exception | Error e) {
            dopq.close();
            throw e;
        }
    }

    public SlurmCluster cluster() {
        return cluster;
    }

    public TestServer server() {
        return server;
    }

    public DopqSession admin() throws Exception {
        return server.admin();
    }

    /** Starts a new server on the same state after the current one was stopped (jobs left running on Slurm). */
    public TestServer restart() throws Exception {
        server = TestServer.start(dir, "none", ini);
        return server;
    }

    @Override
    public void close() throws Exception {
        try {
            if (server != null) {
                server.close();
                EngineLeftovers.removeOf(server.instance());
            }
        } finally {
            cluster.close();
        }
    }
}
