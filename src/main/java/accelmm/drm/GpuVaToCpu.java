package accelmm.drm;

import accelmm.mm.Errno;
import accelmm.mm.MmStruct;
import accelmm.sim.RwSemaphore;

/**
 * Where a process's CPU address space holds what one of its GPU VAs maps: the translation a
 * ptrace-based GPU debugger asks the user-space driver for (seed 000: "get the information which
 * CPU address is mapped to which GPU address and then use the standard ptrace interfaces"). No
 * kernel function does this; the user-space driver knows its own binds and mmaps, and the model
 * reads the same facts from the VM (under {@code vm->lock} for reading, so that no bind is seen
 * half done) and from the object's CPU mappings.
 *
 * <p>A userptr mapping is backed by CPU memory by construction: its GPU VA maps the CPU address
 * the range was bound from, plus the offset into the range. An object is at a CPU address only
 * where the process mmapped it (a GEM mmap of the DRM file, or an mmap of its dma-buf) over the
 * byte the GPU VA maps (the mapping's offset into the object included); an object the process
 * never mmapped, in VRAM or in system memory, has no CPU address: GPU-only memory, which the
 * CPU-side debugger cannot reach (Lahtinen: CPU VA != GPU VA for GL/Vulkan, memory that "should
 * not even be mapped to CPU address space").
 */
public final class GpuVaToCpu {

    private GpuVaToCpu() {
    }

    /** What {@link #translate} finds. */
    public sealed interface Translation {
    }

    /** GPU VA {@code va} maps CPU address {@code cpuAddress}, and the next {@code lengthBytes} bytes follow it. */
    public record Mapped(long cpuAddress, int lengthBytes) implements Translation {
    }

    /**
     * No CPU address: {@code EINVAL} where nothing is mapped at the GPU VA (as the eudebug VM
     * file answers), {@code EIO} where what is mapped has no CPU mapping in the process.
     */
    public record Unreachable(Errno errno) implements Translation {
    }

    /**
     * The CPU address in {@code mm} (the debuggee's address space) of GPU VA {@code va} of {@code
     * vm}, and how many of the {@code len} bytes from there are contiguous both in the GPU mapping
     * and in the CPU one.
     */
    public static Translation translate(GpuVm vm, long va, int len, MmStruct mm) {
        if (!vm.rangeValid(va, len)) {
            return new Unreachable(Errno.EINVAL);
        }
        RwSemaphore lock = vm.lock();
        lock.downRead();
        try {
            GpuVa<GpuVaBacking> vma = vm.gpuvm().findFirst(va, len);
            if (vma == null || va < vma.addr()) {
                return new Unreachable(Errno.EINVAL);
            }
            long offset = vma.offset() + (va - vma.addr());
            int inGpuMapping = (int) Math.min(len, vma.end() - va);
            return switch (vma.obj()) {
                case GpuVaBacking.UserptrRange(Userptr u) -> new Mapped(u.cpuStart() + offset, inGpuMapping);
                case GpuVaBacking.Bo(GemObject bo) -> {
                    GemObject.CpuSpan span = mm == null ? null : bo.cpuSpanIn(mm, offset);
                    yield span == null ? new Unreachable(Errno.EIO)
                            : new Mapped(span.address(), (int) Math.min(inGpuMapping, span.lengthBytes()));
                }
                case null -> new Unreachable(Errno.EINVAL);
            };
        } finally {
            lock.upRead();
        }
    }
}
