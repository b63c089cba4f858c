package accelmm.drm;

import accelmm.dmabuf.DmaBuf;
import accelmm.sim.Shared;
import java.util.Map;
import java.util.TreeMap;

/**
 * Models {@code struct drm_prime_file_private}: a DRM file's cache of the dma-bufs it exported
 * or imported and the handle each goes with, so that importing the same buffer again gives the
 * same handle (PSI-1) and exporting the same handle again the same buffer. Each entry holds a
 * reference on its buffer ({@code drm_prime_add_buf_handle}); deleting the handle drops the
 * entry and the reference ({@code drm_prime_remove_buf_handle}, from {@code
 * drm_gem_object_release_handle}). The kernel keeps two rb-trees, by buffer and by handle; one
 * map by handle, searched for a buffer, is the same cache.
 */
final class PrimeFilePrivate {

    private final TreeMap<Integer, DmaBuf> bufByHandle = new TreeMap<>();
    /** The cache, by handle ({@code [handle, handle + 1)}). */
    private final Shared shared;

    PrimeFilePrivate(Shared shared) {
        this.shared = shared;
    }

    /** {@code drm_prime_add_buf_handle}: remembers that {@code handle} goes with {@code buf}, holding a reference on it. */
    void add(DmaBuf buf, int handle) {
        shared.write(handle, handle + 1L);
        if (bufByHandle.containsKey(handle)) {
            throw new IllegalStateException("handle " + handle + " is cached with " + bufByHandle.get(handle));
        }
        buf.get();
        bufByHandle.put(handle, buf);
    }

    /** {@code drm_prime_lookup_buf_handle}: the handle that goes with {@code buf}, or -1. */
    int handleOf(DmaBuf buf) {
        shared.read();
        for (Map.Entry<Integer, DmaBuf> e : bufByHandle.entrySet()) {
            if (e.getValue() == buf) {
                return e.getKey();
            }
        }
        return -1;
    }

    /** {@code drm_prime_lookup_buf_by_handle}: the buffer that goes with {@code handle}, or {@code null}. */
    DmaBuf bufOf(int handle) {
        shared.read(handle, handle + 1L);
        return bufByHandle.get(handle);
    }

    /** {@code drm_prime_remove_buf_handle}: forgets {@code handle}, dropping the entry's buffer reference. */
    void remove(int handle) {
        shared.write(handle, handle + 1L);
        DmaBuf buf = bufByHandle.remove(handle);
        if (buf != null) {
            buf.put();
        }
    }

    /**
     * {@code drm_prime_destroy_file_private}, after the file's handles went: drops what is left.
     * Under per-file handles nothing is (each handle took its entry along); under {@code
     * handles=device-global} a file may have cached a handle another file allocated and closed.
     */
    void destroy() {
        shared.write();
        while (!bufByHandle.isEmpty()) {
            remove(bufByHandle.firstKey());
        }
    }

    int size() {
        shared.read();
        return bufByHandle.size();
    }
}
