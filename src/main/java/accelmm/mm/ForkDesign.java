package accelmm.mm;

import accelmm.sim.DesignValue;

/**
 * Design key {@code fork}: what fork does with a private anonymous page that may be DMA-pinned
 * (seed 002, KERNEL-SEMANTICS 13.3).
 */
public enum ForkDesign implements DesignValue {
    /**
     * Linux since 5.9 (exact since 5.19, PageAnonExclusive): if the parent mm has {@code MMF_HAS_PINNED} and the page is
     * maybe-DMA-pinned, the child gets its own copy at fork and the parent keeps the pinned page
     * writable, so the device and the parent stay coherent (COW-08).
     */
    MODERN("modern"),
    /**
     * The kernel before 5.9, that of the 2018 WarpDrive thread (KERNEL-SEMANTICS 13.3, "COW
     * history"): fork shares a pinned page copy-on-write like any other, and a write fault reuses
     * an anonymous page in place when it is mapped once ({@code reuse_swap_page}: map count plus
     * swap count), whatever its page count or pins. After fork the first writer gets a copy and
     * the other process, now the only one mapping the pinned page, writes into it in place: if
     * the parent writes first, the device keeps DMAing into memory the child owns ("parent lose
     * control and child gain it", seed 002, I1).
     *
     * <p>GUP is that kernel's too: a read-only pin takes the page the PTE maps, COW-shared or
     * not, with no unshare fault first (FAULT_FLAG_UNSHARE came in 5.19, the longterm unshare of
     * the zero page or a page cache page in 6.2). A read-only pin taken after fork is then on the
     * page both processes share; the pinning process's next write copies, so the device no
     * longer sees its writes, and the other process, left the page's only mapper, writes into it
     * in place, so the device sees those instead.
     *
     * <p>Only 5.9 release candidates had the page-count reuse rule ("mm: do_wp_page()
     * simplification") without the early copy at fork ("mm: Do early cow for pinned pages during
     * fork()"); no released kernel did, and 5.9 to 5.18 (page-count rule plus early copy) behave as
     * {@link #MODERN} for the read-write pins the model's drivers take, so neither has a value.
     */
    LEGACY("legacy");

    private final String value;

    ForkDesign(String value) {
        this.value = value;
    }

    @Override
    public String key() {
        return "fork";
    }

    @Override
    public String value() {
        return value;
    }
}
