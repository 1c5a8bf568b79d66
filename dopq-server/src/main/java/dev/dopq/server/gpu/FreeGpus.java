package dev.dopq.server.gpu;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Which GPUs the queue may hand out now. */
public final class FreeGpus {
    /** "2" before "10": numeric ids by value, anything else (e.g. UUIDs) after them by text. */
    public static final Comparator<String> BY_ID = Comparator
            .comparing(FreeGpus::numeric, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Comparator.naturalOrder());

    private FreeGpus() {
    }

    /**
     * GPUs that no job of ours holds and (when {@code respectForeign}) that no foreign process uses, lowest id
     * first: the queue hands them out in this order.
     *
     * @param devices        the inventory's current reading
     * @param inUse          GPU ids allocated to our running jobs
     * @param respectForeign whether a GPU a process outside dopq uses counts as busy ({@code [gpu] respect_foreign})
     */
    public static List<String> of(List<GpuDevice> devices, Collection<String> inUse, boolean respectForeign) {
        Set<String> taken = Set.copyOf(inUse);
        return devices.stream()
                .filter(d -> !taken.contains(d.id()) && !(respectForeign && d.foreignBusy()))
                .map(GpuDevice::id)
                .sorted(BY_ID)
                .toList();
    }

    private static Long numeric(String id) {
        return id.matches("\\d{1,18}") ? Long.valueOf(id) : null;
    }
}
