package accelmm.drm;

import accelmm.mm.Errno;
import accelmm.mm.MemoryAccess;
import accelmm.mm.MmStruct;
import accelmm.mm.Principal;
import accelmm.mm.Through;
import java.util.ArrayList;
import java.util.List;

/**
 * Models {@code struct xe_vm_snapshot} ({@code xe_vm.c}): the VM part of a device coredump, taken
 * in two phases (DCD-04).
 *
 * <p>Phase 1, {@link GpuVm#snapshotCapture} ({@code xe_vm_snapshot_capture}), runs in the
 * timeout handler and only lists: every mapping flagged dumpable (DCD-05), with its start and
 * length, and for a GEM mapping a reference on the object and its offset, for a userptr mapping a
 * user reference on the owner's address space ({@code mmget_not_zero}; -EFAULT recorded when the
 * address space is gone) and the CPU address. No dumpable mapping: the whole part is -ENODEV.
 *
 * <p>Phase 2, {@link #captureDelayed} ({@code xe_vm_snapshot_capture_delayed}), runs later in a
 * worker and reads the contents: an object through the object ({@code xe_bo_read}: {@link
 * GemObject#ttmBoAccess} under its reservation lock, DCD-06), a
 * userptr range by {@code copy_from_user} in the owner's address space as it is <em>then</em>
 * ({@code kthread_use_mm}), with no notifier sequence check and no lock against munmap (DCD-07):
 * the bytes are whatever the process maps at that address when the worker runs. Each entry drops
 * its object reference and its {@code mmput} as it is read, as xe does.
 *
 * <p>Every byte the worker reads is reported with {@link MemoryAccess.Via#COREDUMP} and the
 * principal the caller names: the reader of the dump (the devcoredump {@code data} file is mode
 * 0600, DCD-03), so that the checker judges secrets against whoever may read the file. A userptr
 * read goes through {@link #USERPTR_THROUGH}, which the checker's {@code coredump-userptr}
 * invariant looks for.
 */
public final class VmSnapshot {

    /** The mapping kind of a dump's userptr reads ({@link Through#kind()}): a CPU address of the owner. */
    public static final String USERPTR_THROUGH = "coredump userptr va";

    /**
     * The largest entry the worker's {@code kvmalloc(len, GFP_USER)} gets, in bytes. The kernel's
     * own bound is {@code INT_MAX} ({@code __kvmalloc_node} refuses more); the model stops at
     * 64M, as a machine without that much free memory would, rather than hold a larger copy: a
     * longer entry records -ENOMEM, as xe does when the allocation fails.
     */
    static final long KVMALLOC_MAX = 64L << 20;

    private final DrmDevice device;
    private final List<Snap> snaps;
    private final int error;

    private VmSnapshot(DrmDevice device, List<Snap> snaps, int error) {
        this.device = device;
        this.snaps = snaps;
        this.error = error;
    }

    /** One dumped mapping as the dump shows it: {@code [va].length}, then data or an error (DCD-09). */
    public record Entry(long va, long length, byte[] data, int error) {
    }

    /** {@code xe_vm_snapshot_capture} over {@code vas}, the VM's dumpable mappings in address order. */
    static VmSnapshot capture(DrmDevice device, List<GpuVa<GpuVaBacking>> vas, boolean includeUserptr) {
        List<Snap> snaps = new ArrayList<>();
        for (GpuVa<GpuVaBacking> va : vas) {
            Snap s = new Snap(va.addr(), va.range());
            switch (va.obj()) {
                case GpuVaBacking.Bo(GemObject bo) -> {
                    bo.get();
                    s.bo = bo;
                    s.offset = va.offset();
                }
                case GpuVaBacking.UserptrRange(Userptr u) -> {
                    if (!includeUserptr) {
                        continue; // the reviewer's position: a device dump never touches userptr memory
                    }
                    if (u.mm().mmgetNotZero()) {
                        s.mm = u.mm();
                    } else {
                        s.error = Errno.EFAULT.neg();
                    }
                    s.offset = u.cpuStart() + va.offset();
                }
                case null -> s.error = Errno.ENOENT.neg(); // a sparse mapping: nothing behind it
            }
            snaps.add(s);
        }
        return new VmSnapshot(device, snaps, snaps.isEmpty() ? Errno.ENODEV.neg() : 0);
    }

    /**
     * {@code xe_vm_snapshot_capture_delayed}: reads every listed mapping's contents on behalf of
     * {@code reader} and drops the references phase 1 took.
     */
    public void captureDelayed(Principal reader) {
        for (Snap s : snaps) {
            if (s.error != 0) {
                continue;
            }
            if (s.length > KVMALLOC_MAX) {
                s.error = Errno.ENOMEM.neg(); // kvmalloc(len) failed: the entry reads ERR_PTR(-ENOMEM)
                dropReferences(s);
                continue;
            }
            byte[] data = new byte[(int) s.length];
            int err;
            if (s.bo != null) {
                err = s.bo.ttmBoAccess(s.offset, data, 0, data.length, null, false, reader, MemoryAccess.Via.COREDUMP);
                s.bo.put();
                s.bo = null;
            } else {
                err = device.kernel().uaccess().loadInMm(s.mm, reader, MemoryAccess.Via.COREDUMP, USERPTR_THROUGH,
                        s.offset, data);
                s.mm.mmput();
                s.mm = null;
            }
            if (err < 0) {
                s.error = err;
            } else {
                s.data = data;
            }
        }
    }

    /**
     * The references phase 1 took for an entry that is not read: xe drops the object's at once
     * and the address space's when the snapshot is freed; the model, which keeps a dump until it
     * is read or deleted without freeing its snapshot, drops both here.
     */
    private static void dropReferences(Snap s) {
        if (s.bo != null) {
            s.bo.put();
            s.bo = null;
        }
        if (s.mm != null) {
            s.mm.mmput();
            s.mm = null;
        }
    }

    /** -ENODEV when no mapping was dumpable ({@code [0].error: -19}), else 0. */
    public int error() {
        return error;
    }

    /** The dumped mappings, in address order, as they stand now. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>(snaps.size());
        for (Snap s : snaps) {
            out.add(new Entry(s.va, s.length, s.data == null ? null : s.data.clone(), s.error));
        }
        return out;
    }

    /** One {@code xe_vm_snapshot} slot. */
    private static final class Snap {
        final long va;
        final long length;
        GemObject bo;
        MmStruct mm;
        /** The object offset, or the userptr's CPU address. */
        long offset;
        byte[] data;
        int error;

        Snap(long va, long length) {
            this.va = va;
            this.length = length;
        }
    }
}
