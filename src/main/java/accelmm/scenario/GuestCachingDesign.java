package accelmm.scenario;

import accelmm.sim.DesignValue;

/**
 * Design key {@code guest-caching}: the memory type a VMM gives a guest's own mapping of a
 * dma-buf it placed in guest memory, when the scenario's {@code guest_map} names none. It is the
 * VMM's policy, not the kernel's, so the scenario layer holds it (read it with {@code
 * kernel.designs().get(GuestCachingDesign.class)}); the guest's stage 1 then carries the type
 * chosen, and KVM's stage 2 combines it with the host's (KERNEL-SEMANTICS CA-01..03).
 */
public enum GuestCachingDesign implements DesignValue {
    /**
     * The VMM asked the exporter ({@code dma_buf_info}, the never-merged proposal, DBI-01/02)
     * and maps what it read: {@code cached} as wb, {@code wc} as wc, {@code incoherent} as wb
     * (the proposal has no uncached value: an incoherent buffer is one the CPU maps cached and
     * brackets with {@code DMA_BUF_IOCTL_SYNC}); a buffer never asked about is mapped wb.
     */
    FROM_INFO("from-info"),
    /**
     * The VMM guesses write-back, as VMMs do without the query (venus marks its choice "XXX
     * guessed", DBI-05).
     */
    GUESS_WB("guess-wb");

    private final String value;

    GuestCachingDesign(String value) {
        this.value = value;
    }

    @Override
    public String key() {
        return "guest-caching";
    }

    @Override
    public String value() {
        return value;
    }
}
