package dev.dopq.container;

/**
 * A run ended because the machine it ran on was lost (a Slurm node that went down), not because of anything the
 * job did: nothing is known of its exit, and running it again elsewhere is the right thing.
 */
public class RunLostException extends ContainerGoneException {

    private static final long serialVersionUID = 1L;

    private final String node;
    private final String why;

    /** Creates the exception for a run, the node it was on and why the run is lost. */
    public RunLostException(String runId, String node, String why) {
        super(runId, null);
        this.node = node;
        this.why = why;
    }

    /** The node the run was on, or an empty string when unknown. */
    public String node() {
        return node;
    }

    /** One line: why the run is lost. */
    public String why() {
        return why;
    }
}
