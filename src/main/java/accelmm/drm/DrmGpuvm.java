package accelmm.drm;

import accelmm.mm.Errno;
import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map.Entry;
import java.util.TreeMap;

/**
 * Models {@code struct drm_gpuvm}: the DRM GPU VA manager — one GPU VA space
 * {@code [start, start + range)}, an optional kernel-reserved node, the {@link GpuVa}
 * mappings in it, and its split/merge operation generator ({@code drm_gpuvm_sm_map} /
 * {@code drm_gpuvm_sm_unmap}, "DOC: Split and Merge").
 *
 * <p>Where it sits in the package. This is a range-granular, pure data-structure model of
 * the library that drivers such as xe, nouveau, panthor and msm build their VM_BIND on, and
 * the VA space of every {@link GpuVm} (which applies the ops to its page table). It does not
 * touch the simulation (no locks, actors or preemption points: the kernel's
 * drm_gpuvm does no locking either and leaves it to the driver). A request is handled in two
 * phases, as with {@code drm_gpuvm_sm_map_ops_create}: {@link #smMap} / {@link #smUnmap}
 * compute the ordered {@link VaOp}s without changing anything, then {@link #apply} performs
 * them the way the kernel's documented driver pattern does ({@code drm_gpuva_map} /
 * {@code _remap} / {@code _unmap} with {@code drm_gpuva_link} / {@code _unlink}), keeping each
 * object's {@link GpuvmBo} and its list of mappings up to date. The VM never merges adjacent
 * mappings, even of one object at contiguous offsets (GV-10), and an identical request is
 * answered with an unmap ({@code keep}) and a map, as the kernel's code does, not with no
 * steps as its DOC text says. Mappings live in a tree keyed by start address (the kernel's
 * interval tree and list), so lookups, inserts and removals cost O(log n) and a request
 * O(log n + k) for k overlapped mappings.
 *
 * <p>Abstracted away: the VM's and the vm_bos' own references on the VM and the GEM object
 * ({@code drm_gpuvm_get/put}, {@code drm_gem_object_get/put}), the resv object, the extobj and
 * evict lists and validation, {@code DRM_GPUVA_SPARSE} / {@code _INVALIDATED} flags (a
 * {@code null} object stands for a sparse mapping), prefetch, madvise and driver ops, the
 * callback form {@code drm_gpuvm_sm_map} with {@code drm_gpuvm_ops}. Kernel sources followed:
 * drivers/gpu/drm/drm_gpuvm.c, include/drm/drm_gpuvm.h.
 *
 * @param <O> the type the VM's user names GEM objects by; compared with {@code equals}, as
 *     the kernel compares {@code drm_gem_object} pointers
 */
public final class DrmGpuvm<O> {

    private final String name;
    private final long mmStart;
    private final long mmRange;
    private final GpuVa<O> kernelNode;
    private final TreeMap<Long, GpuVa<O>> tree = new TreeMap<>();
    private final LinkedHashMap<O, GpuvmBo<O>> vmBos = new LinkedHashMap<>();
    /**
     * The VA tree, by address ({@code [addr, end)} of each node), and, at {@link #VM_BOS} past
     * every address, the vm_bo list and the vm_bos' own state ({@link GpuvmBo}).
     */
    private final Shared shared;
    /** Where the vm_bos' state sits in {@link #shared}: beyond any VA a GPU VM has. */
    private static final long VM_BOS = Long.MAX_VALUE - 1;

    /** {@code drm_gpuvm_init} without a kernel-reserved area. */
    public DrmGpuvm(String name, long start, long range) {
        this(name, start, range, 0, 0, Shared.NONE);
    }

    /** As {@link #DrmGpuvm(String, long, long)}, its state observed through {@code shared}. */
    public DrmGpuvm(String name, long start, long range, Shared shared) {
        this(name, start, range, 0, 0, shared);
    }

    public DrmGpuvm(String name, long start, long range, long reserveOffset, long reserveRange) {
        this(name, start, range, reserveOffset, reserveRange, Shared.NONE);
    }

    /**
     * {@code drm_gpuvm_init}: the VA space {@code [start, start + range)}, with the kernel's
     * cut-out {@code [reserveOffset, reserveOffset + reserveRange)} as a node in the tree when
     * {@code reserveRange} is not 0. Arguments that would overflow are a caller bug here (the
     * kernel WARNs).
     */
    private DrmGpuvm(String name, long start, long range, long reserveOffset, long reserveRange, Shared shared) {
        GpuVa.checkInterval(start, range);
        this.shared = shared;
        this.name = name == null ? "unknown" : name;
        this.mmStart = start;
        this.mmRange = range;
        this.kernelNode = reserveRange == 0 ? null : new GpuVa<>(reserveOffset, reserveRange, null, 0);
        if (kernelNode != null) {
            tree.put(kernelNode.addr(), kernelNode);
        }
    }

    public String name() {
        return name;
    }

    /** {@code mm_start}. */
    public long start() {
        return mmStart;
    }

    /** {@code mm_range}. */
    public long range() {
        return mmRange;
    }

    /** {@code kernel_alloc_node}, or {@code null} if the VM reserves nothing. */
    public GpuVa<O> kernelNode() {
        return kernelNode;
    }

    // ---- interval checks and lookups --------------------------------------------------------

    /**
     * {@code drm_gpuvm_range_valid}: {@code [addr, addr + range)} does not overflow, lies in the
     * VA space and does not overlap the kernel node. The model also refuses an empty range
     * (the kernel leaves that to its drivers, which all refuse zero-sized binds first).
     */
    public boolean rangeValid(long addr, long range) {
        if (addr < 0 || range <= 0 || addr > Long.MAX_VALUE - range) {
            return false;
        }
        long end = addr + range;
        boolean inKernelNode = kernelNode != null && kernelNode.overlaps(addr, end);
        return addr >= mmStart && end <= mmStart + mmRange && !inKernelNode;
    }

    /** {@code drm_gpuvm_interval_empty}: no mapping (nor the kernel node) overlaps the interval. */
    public boolean intervalEmpty(long addr, long range) {
        return findFirst(addr, range) == null;
    }

    /**
     * {@code drm_gpuva_find_first}: the lowest mapping overlapping {@code [addr, addr + range)},
     * the kernel node included, or {@code null}.
     */
    public GpuVa<O> findFirst(long addr, long range) {
        GpuVa.checkInterval(addr, range);
        // The answer depends only on the nodes that overlap the interval.
        shared.read(addr, addr + range);
        Entry<Long, GpuVa<O>> floor = tree.floorEntry(addr);
        if (floor != null && floor.getValue().end() > addr) {
            return floor.getValue();
        }
        Entry<Long, GpuVa<O>> higher = tree.higherEntry(addr);
        return higher != null && higher.getKey() < addr + range ? higher.getValue() : null;
    }

    /** {@code drm_gpuva_find}: the mapping at exactly {@code [addr, addr + range)}, or {@code null}. */
    public GpuVa<O> find(long addr, long range) {
        GpuVa<O> va = findFirst(addr, range);
        return va != null && va.addr() == addr && va.range() == range ? va : null;
    }

    /**
     * {@code drm_gpuva_find_prev}: the first mapping overlapping {@code [start - 1, start]}, or
     * {@code null} if {@code start - 1} is not a valid address. As in the kernel's code, when
     * nothing maps {@code start - 1} this is the mapping at {@code start} itself, if any (the
     * kernel's DOC says no mapping is returned across free space).
     */
    public GpuVa<O> findPrev(long start) {
        return rangeValid(start - 1, 1) ? findFirst(start - 1, 2) : null;
    }

    /**
     * {@code drm_gpuva_find_next}: the first mapping overlapping {@code [end, end + 1]}, or
     * {@code null} if {@code end} is not a valid address. As in the kernel's code, when nothing
     * maps {@code end} this is a mapping starting at {@code end + 1}, if any.
     */
    public GpuVa<O> findNext(long end) {
        return rangeValid(end, 1) ? findFirst(end, 2) : null;
    }

    /** {@code drm_gpuvm_for_each_va}: every node in address order, the kernel node included. */
    public List<GpuVa<O>> vas() {
        shared.read();
        return List.copyOf(tree.values());
    }

    /**
     * {@code drm_gpuvm_for_each_va_range}: in address order, the mappings from the first one
     * overlapping {@code start} on, while they start before {@code end}; the kernel node is
     * not skipped.
     */
    public List<GpuVa<O>> vas(long start, long end) {
        GpuVa<O> first = findFirst(start, end - start);
        List<GpuVa<O>> out = new ArrayList<>();
        if (first == null) {
            return out;
        }
        for (GpuVa<O> va : tree.tailMap(first.addr(), true).values()) {
            if (va.addr() >= end) {
                break;
            }
            out.add(va);
        }
        return out;
    }

    /** The number of nodes in the tree, the kernel node included. */
    public int vaCount() {
        shared.read();
        return tree.size();
    }

    // ---- insert and remove ------------------------------------------------------------------

    /**
     * {@code drm_gpuva_insert}: 0, -EINVAL for an invalid range ({@link #rangeValid}) or
     * -EEXIST if a node overlaps it. Does not link the mapping to its {@link GpuvmBo}.
     */
    public int insert(GpuVa<O> va) {
        if (!rangeValid(va.addr(), va.range())) {
            return Errno.EINVAL.neg();
        }
        if (findFirst(va.addr(), va.range()) != null) {
            return Errno.EEXIST.neg();
        }
        shared.write(va.addr(), va.end());
        tree.put(va.addr(), va);
        return 0;
    }

    /**
     * {@code drm_gpuva_remove}. Removing the kernel node (the kernel WARNs and refuses) or a
     * mapping that is not in the VM is a caller bug.
     */
    public void remove(GpuVa<O> va) {
        if (kernelNode != null && kernelNode.equals(va)) {
            throw new IllegalArgumentException("can't destroy the kernel reserved node of " + name);
        }
        if (!va.equals(tree.get(va.addr()))) {
            throw new IllegalStateException(va + " is not mapped in " + name);
        }
        shared.write(va.addr(), va.end());
        tree.remove(va.addr());
    }

    // ---- split and merge --------------------------------------------------------------------

    /**
     * {@code drm_gpuvm_sm_map_ops_create}: the steps that map {@code [addr, addr + range)} to
     * {@code obj} (null: sparse) from {@code offset} — any number of unmaps, at most two remaps
     * (at most one of them a split of the mapping the request starts in, one of the mapping it
     * ends in), then exactly one map, the request itself. -EINVAL if the range is not valid.
     */
    public VaOps<O> smMap(long addr, long range, O obj, long offset) {
        if (!rangeValid(addr, range)) {
            return VaOps.error(Errno.EINVAL);
        }
        VaOp.Map<O> req = new VaOp.Map<>(addr, range, obj, offset);
        return VaOps.of(GpuvmSplitMerge.map(vas(addr, req.end()), req));
    }

    /**
     * {@code drm_gpuvm_sm_unmap_ops_create} (GV-16): an unmap for every mapping inside
     * {@code [addr, addr + range)} and a remap keeping the outside piece(s) of one that is
     * only partly inside; no steps where nothing is mapped. -EINVAL if the range is not valid.
     */
    public VaOps<O> smUnmap(long addr, long range) {
        if (!rangeValid(addr, range)) {
            return VaOps.error(Errno.EINVAL);
        }
        return VaOps.of(GpuvmSplitMerge.unmap(vas(addr, addr + range), addr, addr + range));
    }

    /**
     * Performs {@code ops} in order, as a driver does from {@code drm_gpuva_for_each_op}: map
     * inserts and links the new mapping; remap removes the old mapping, inserts and links its
     * pieces, then unlinks it; unmap unlinks and removes. {@code ops} must have been computed
     * from the current tree: a stale or refused list is a caller bug and throws.
     */
    public void apply(VaOps<O> ops) {
        if (ops.isError()) {
            throw new IllegalArgumentException("apply of a refused request: " + Errno.describe(ops.ret()));
        }
        for (VaOp<O> op : ops.ops()) {
            switch (op) {
                case VaOp.Map<O> map -> mapAndLink(map);
                case VaOp.Remap<O> remap -> remapAndRelink(remap);
                case VaOp.Unmap<O> unmap -> unlinkAndRemove(unmap.va());
            }
        }
    }

    private void mapAndLink(VaOp.Map<O> map) {
        GpuVa<O> va = map.toVa();
        insertOrThrow(va);
        link(va);
    }

    /** Links the pieces before unlinking the old mapping, so its vm_bo cannot die in between. */
    private void remapAndRelink(VaOp.Remap<O> remap) {
        GpuVa<O> old = remap.unmap().va();
        remove(old);
        if (remap.prev() != null) {
            mapAndLink(remap.prev());
        }
        if (remap.next() != null) {
            mapAndLink(remap.next());
        }
        unlink(old);
    }

    private void unlinkAndRemove(GpuVa<O> va) {
        unlink(va);
        remove(va);
    }

    private void insertOrThrow(GpuVa<O> va) {
        int ret = insert(va);
        if (ret != 0) {
            throw new IllegalStateException("stale ops: insert of " + va + " into " + name + ": "
                    + Errno.describe(ret));
        }
    }

    /** {@code drm_gpuvm_bo_obtain} + {@code drm_gpuva_link} + {@code drm_gpuvm_bo_put}. */
    private void link(GpuVa<O> va) {
        if (va.obj() == null) {
            return;
        }
        GpuvmBo<O> vmBo = GpuvmBo.obtain(this, va.obj());
        vmBo.link(va);
        vmBo.put();
    }

    /** {@code drm_gpuva_unlink}; a mapping inserted without a link has nothing to unlink. */
    private void unlink(GpuVa<O> va) {
        GpuvmBo<O> vmBo = va.obj() == null ? null : vmBos.get(va.obj());
        if (vmBo != null) {
            vmBo.unlink(va);
        }
    }

    // ---- the vm_bos of this VM ----------------------------------------------------------------

    /** The live {@link GpuvmBo}s of this VM, oldest first. */
    public List<GpuvmBo<O>> vmBos() {
        readVmBos();
        return List.copyOf(vmBos.values());
    }

    GpuvmBo<O> vmBoLookup(O obj) {
        readVmBos();
        return vmBos.get(obj);
    }

    void vmBoAdded(GpuvmBo<O> vmBo) {
        writeVmBos();
        if (vmBos.putIfAbsent(vmBo.obj(), vmBo) != null) {
            throw new IllegalStateException("second vm_bo for " + vmBo.obj() + " in " + name);
        }
    }

    void vmBoDestroyed(GpuvmBo<O> vmBo) {
        writeVmBos();
        if (!vmBos.remove(vmBo.obj(), vmBo)) {
            throw new IllegalStateException("vm_bo for " + vmBo.obj() + " not in " + name);
        }
    }

    /** Throws {@link IllegalStateException} on the first broken invariant; observes only. */
    /** A step reads the vm_bo list or a vm_bo of this VM. */
    void readVmBos() {
        shared.read(VM_BOS, Long.MAX_VALUE);
    }

    /** A step changes the vm_bo list or a vm_bo of this VM (a refcount, its VA list). */
    void writeVmBos() {
        shared.write(VM_BOS, Long.MAX_VALUE);
    }

    public void checkInvariants() {
        shared.read();
        GpuvmInvariants.check(this, tree);
    }
}
