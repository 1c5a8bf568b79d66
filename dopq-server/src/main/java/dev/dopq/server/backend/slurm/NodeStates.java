package dev.dopq.server.backend.slurm;

import java.util.Locale;

/** Slurm's node states as dopq shows them: idle, mixed, allocated, down, drained. */
final class NodeStates {

    private NodeStates() {
    }

    static String shown(SlurmCommands.SlurmNode n) {
        String base = n.state().toLowerCase(Locale.ROOT);
        if (base.startsWith("down") || base.equals("error") || base.equals("unknown") || base.equals("future")) {
            return "down";
        }
        if (n.flags().contains("DRAIN") || base.startsWith("drain")) {
            return "drained";
        }
        return switch (base) {
            case "allocated", "mixed", "idle" -> base;
            default -> base.isEmpty() ? "down" : base;
        };
    }

    /** Whether jobs can be admitted to the node. */
    static boolean usable(SlurmCommands.SlurmNode n) {
        String s = shown(n);
        return !s.equals("down") && !s.equals("drained") && !n.flags().contains("NOT_RESPONDING");
    }
}
