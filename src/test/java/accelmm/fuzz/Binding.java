package accelmm.fuzz;

/**
 * A name a generated statement binds, with what the writer needs to use it sensibly later.
 *
 * @param process the process it belongs to (a forked child's copy of an inherited name is the child's)
 * @param name    the name as bound
 * @param kind    what it holds
 * @param fd      for a VM, GEM handle, mmap offset or exec queue: the name of the DRM fd it belongs to;
 *                for a memory region, the name of its uverbs fd; for accelerator memory, its accel fd
 * @param device  for a file or an object: the index of its device
 * @param size    for memory, an object or a dma-buf: its size, as written ({@code 8K})
 * @param created a GEM handle made by {@code gem_create} (only those can be evicted)
 */
record Binding(String process, String name, Kind kind, String fd, int device, String size, boolean created) {

    enum Kind {
        DRM_FD, DMABUF_FD, UVERBS_FD, ACCEL_FD, QUEUE_FD, KVM_FD, PTR, VM, GEM, OFFSET, QUEUE, FENCE, BYTES, MR, MEM,
        /** The record {@code dma_buf_info} binds. */
        MAP_INFO;

        /** Whether a name of this kind holds a number (everything but fences and bytes read). */
        boolean numeric() {
            return this != FENCE && this != BYTES && this != MAP_INFO;
        }

        boolean file() {
            return this == DRM_FD || this == DMABUF_FD || this == UVERBS_FD || this == ACCEL_FD || this == QUEUE_FD
                    || this == KVM_FD;
        }
    }

    /** How a thread of {@code viewer} names it: plain in its own process, {@code A.p} elsewhere. */
    String ref(String viewer) {
        return process.equals(viewer) ? name : process + "." + name;
    }

    /** The same name as a forked child inherits it. */
    Binding inheritedBy(String child) {
        return new Binding(child, name, kind, fd, device, size, created);
    }
}
