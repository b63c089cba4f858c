package accelmm.mm;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a file's {@code ->mmap} decides about a mapping being created: the VMA operations and flags
 * (a driver sets {@code VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP}, or {@code VM_DONTCOPY}),
 * and it can read the requested range and protection.
 */
public final class MmapSetup {

    private final long lengthBytes;
    private final long pgoff;
    private final EnumSet<VmFlag> flags;
    private VmOperations ops;

    MmapSetup(long lengthBytes, long pgoff, Set<VmFlag> flags) {
        this.lengthBytes = lengthBytes;
        this.pgoff = pgoff;
        this.flags = EnumSet.copyOf(flags);
    }

    public long lengthBytes() {
        return lengthBytes;
    }

    public long pgoff() {
        return pgoff;
    }

    public boolean has(VmFlag flag) {
        return flags.contains(flag);
    }

    public void addFlag(VmFlag flag) {
        flags.add(flag);
    }

    public void removeFlag(VmFlag flag) {
        flags.remove(flag);
    }

    public void setOps(VmOperations ops) {
        this.ops = ops;
    }

    VmOperations ops() {
        return ops;
    }

    Set<VmFlag> flags() {
        return flags;
    }
}
