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
     * The CPU-side alternative: attach with ptrace and read the target's CPU address space.
     * Not modelled yet: a scenario or run choosing it is refused when it is loaded.
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
