package accelmm.mm;

import accelmm.sim.RefcountError;
import accelmm.sim.Shared;

/**
 * A swap slot holding the contents of a reclaimed anonymous page ({@code swp_entry_t} with its
 * {@code swap_map} count). Shared by every page table that maps the swapped page, e.g. parent
 * and child after fork; freed when the last of them faults it in or is torn down. The contents
 * are immutable; the count is shared state ({@code shared}).
 */
public final class SwapSlot {

    private final int id;
    private final byte[] data;
    private final int[] labels;
    private final Shared shared;
    private int users = 1;

    SwapSlot(int id, byte[] data, int[] labels, Shared shared) {
        this.id = id;
        this.shared = shared;
        this.data = data;
        this.labels = labels;
    }

    public int id() {
        return id;
    }

    byte[] data() {
        return data;
    }

    int[] labels() {
        return labels;
    }

    int users() {
        shared.read();
        return users;
    }

    /** {@code swap_duplicate}. */
    void duplicate() {
        shared.write();
        users++;
    }

    /** {@code swap_free}; true when the slot is now unused. */
    boolean free() {
        shared.write();
        if (users <= 0) {
            throw new RefcountError("swap slot " + id + " freed twice");
        }
        return --users == 0;
    }
}
