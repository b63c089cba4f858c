package accelmm.debug;

import accelmm.sim.DesignValue;

/**
 * Design key {@code debugger}: how a GPU debugger reaches the memory of the process it debugs
 * (seed 000: eudebug's own VM access against the CPU-side ptrace).
 */
public enum DebuggerDesign implements DesignValue {
    /**
     * The xe EU debugger as posted (v3, Dec 2024): a VM file whose reads and writes go through
     * the object or, for a userptr range, through its pages under {@code notifier_lock} after a
     * notifier sequence check, faulting the range in again when the sequence moved.
     */
    EUDEBUG("eudebug"),
    /**
     * The eudebug VM access with the sequence check of userptr ranges left out: the copy goes
     * through the pages the range found last, which after an munmap may be freed and reused.
     */
    EUDEBUG_NO_RETRY("eudebug-no-retry"),
    /**
     * The CPU-side alternative the review proposes (PTR-01..04). The eudebug connection and its
     * events stay: the debugger still learns VMs and binds from them, standing for what the
     * user-space driver would tell it. But the attach first ptrace-attaches the target ({@code
     * PTRACE_ATTACH}: ATTACH_REALCREDS, commoncap, Yama scope 1; a refusal leaves no connection
     * either), which stops every thread of it until the connection's last close or the
     * debugger's exit; and a VM file read or write goes to the CPU address where the target maps
     * the same memory (a userptr range's, or a GEM or dma-buf mmap of the object), through
     * {@code ptrace_access_vm}: memory the target does not map on the CPU (VRAM it never
     * mmapped) is -EIO.
     */
    PTRACE("ptrace");

    private final String value;

    DebuggerDesign(String value) {
        this.value = value;
    }

    @Override
    public String key() {
        return "debugger";
    }

    @Override
    public String value() {
        return value;
    }
}
