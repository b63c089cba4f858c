package accelmm.accel;

import accelmm.sim.Shared;

/**
 * Models {@code struct hl_vm_hash_node}: the context's record that device memory is mapped at a
 * device virtual address, with {@code export_cnt}, the number of live dma-bufs exported from it.
 * While it is above zero, the mapping can be neither unmapped nor freed (HL-04).
 *
 * <p>The model's device has no MAP step: {@code mem_alloc} is ALLOC and MAP of the pack at once,
 * {@code mem_free} UNMAP and FREE, and {@code mem_export} names the memory by its handle where
 * habanalabs takes the device address MAP returned. What is lost is only the device VA space
 * (its ranges, hints and the errors of a bad address), which no scenario reaches otherwise.
 */
final class HlVmHashNode {

    private final HlPhysPgPack pack;
    private int exportCount;
    private final Shared shared;

    HlVmHashNode(HlPhysPgPack pack, Shared shared) {
        this.pack = pack;
        this.shared = shared;
    }

    HlPhysPgPack pack() {
        return pack;
    }

    /** {@code hnode->export_cnt}. */
    int exportCount() {
        shared.read();
        return exportCount;
    }

    /** {@code memhash_node_export_get}: one more dma-buf of this memory. */
    void exportGet() {
        shared.write();
        exportCount++;
    }

    /** {@code memhash_node_export_put}. */
    void exportPut() {
        shared.write();
        if (exportCount <= 0) {
            throw new IllegalStateException("export_cnt underflow on " + pack);
        }
        exportCount--;
    }
}
