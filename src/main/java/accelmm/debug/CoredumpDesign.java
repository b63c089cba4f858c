package accelmm.debug;

import accelmm.sim.DesignValue;

/**
 * Design key {@code coredump}: whether a device coredump reads the userptr ranges of the hung
 * queue's VM (seed 000, DCD-07, DCD-08).
 */
public enum CoredumpDesign implements DesignValue {
    /**
     * The reviewer's position: a device coredump never touches memory a VM mirrors from a
     * process (what a process core dump is for); dumpable userptr mappings are left out.
     */
    EXCLUDE_USERPTR("exclude-userptr"),
    /**
     * What mainline xe ships: the dump worker copies each dumpable userptr range with {@code
     * copy_from_user} in the owner's address space at worker time, with no sequence check.
     */
    INCLUDE_USERPTR("include-userptr");

    private final String value;

    CoredumpDesign(String value) {
        this.value = value;
    }

    @Override
    public String key() {
        return "coredump";
    }

    @Override
    public String value() {
        return value;
    }

    boolean includesUserptr() {
        return this == INCLUDE_USERPTR;
    }
}
