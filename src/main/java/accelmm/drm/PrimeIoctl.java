package accelmm.drm;

import accelmm.dmabuf.DmaBuf;
import accelmm.mm.Errno;
import accelmm.mm.Task;

/**
 * {@code DRM_IOCTL_PRIME_HANDLE_TO_FD} and {@code DRM_IOCTL_PRIME_FD_TO_HANDLE}
 * (drivers/gpu/drm/drm_prime.c): sharing a GEM object as a dma-buf fd, and naming a dma-buf by a
 * handle of the calling DRM file.
 *
 * <p>References, which flow one way (importing object → dma-buf → exporting object):
 *
 * <pre>
 *   fd, mmap VMA, importer ──► dma-buf ──(exporter's reference)──► GEM object ◄── handles
 *   per-file prime cache entry ──► dma-buf ◄── obj->dma_buf (while a handle names the object)
 * </pre>
 *
 * Export makes one buffer per object, on first use; every later export of the object, from any
 * file, gets a new fd for the same buffer ({@code get_dma_buf}), with the access mode the first
 * export chose. Import looks in the file's {@link PrimeFilePrivate} first (the same handle
 * again); on the exporting device it names the exporter's own object (DBM-1: a self-import needs
 * no attachment); on another device, or for a buffer another driver exported, {@link
 * PrimeImport} attaches to the buffer and, if the exporter accepts the importer and maps the
 * buffer for it ({@link PrimeExport#attach}, DBM-2; the accelerator's map, HL-06), makes an
 * object of this device over the pages the attachment maps, which keeps the attachment until
 * it is freed.
 *
 * <p>Both ioctls run between the file's entry preemption point and their trace without another
 * one (an import on another device aside, which takes the buffer's reservation lock to map
 * it), so {@code prime.lock} and {@code object_name_lock}, and the {@code handle_count == 0}
 * check that guards export against a racing {@code GEM_CLOSE}, have nothing to order here.
 */
final class PrimeIoctl {

    /** {@code DRM_CLOEXEC}: {@code O_CLOEXEC} on the new fd. */
    static final int DRM_CLOEXEC = 02000000;
    /** {@code DRM_RDWR}: {@code O_RDWR}, a writable dma-buf file (honoured on first export). */
    static final int DRM_RDWR = 2;

    private PrimeIoctl() {
    }

    /**
     * {@code drm_prime_handle_to_fd_ioctl}: a new fd in {@code caller} for the object's dma-buf.
     * -EINVAL for flags other than {@code DRM_CLOEXEC | DRM_RDWR}, -ENOENT for an unknown
     * handle, -EMFILE when the fd table is full.
     */
    static int handleToFd(DrmFile file, Task caller, long handle, int flags) {
        file.enter("prime_handle_to_fd");
        int ret;
        if ((flags & ~(DRM_CLOEXEC | DRM_RDWR)) != 0) {
            ret = Errno.EINVAL.neg();
        } else {
            DmaBuf buf = handleToDmaBuf(file, handle, (flags & DRM_RDWR) != 0);
            ret = buf == null ? Errno.ENOENT.neg() : buf.fd(caller, (flags & DRM_CLOEXEC) != 0);
        }
        if (file.tracing()) {
            file.trace("prime_handle_to_fd " + handle + flagWords(flags), Fmt.value(ret));
        }
        return ret;
    }

    /**
     * {@code drm_gem_prime_handle_to_dmabuf}: the object's buffer with a reference for the
     * caller — cached in this file, re-exported from an import, kept by the object, or exported
     * now — and the handle cached with it; {@code null} for an unknown handle.
     */
    private static DmaBuf handleToDmaBuf(DrmFile file, long handle, boolean writable) {
        GemObject obj = file.objectLookup(handle, "prime_handle_to_fd");
        if (obj == null) {
            return null;
        }
        DmaBuf buf = file.prime().bufOf((int) handle);
        if (buf != null) {
            buf.get();
        } else {
            if (obj.importedFrom() != null) {
                buf = obj.importedFrom(); // re-export the original imported buffer
                buf.get();
            } else if (obj.dmaBuf() != null) {
                buf = obj.dmaBuf();
                buf.get();
            } else {
                buf = PrimeExport.export(obj, writable); // export_and_register_object
                obj.cacheDmaBuf(buf);
            }
            file.prime().add(buf, (int) handle);
        }
        obj.put();
        return buf;
    }

    /**
     * {@code drm_gem_prime_fd_to_handle}: a handle in this file for the buffer behind {@code fd}
     * of {@code caller}. -EBADF for an fd that is not open, -EINVAL for a file that is not a
     * dma-buf, and the exporter's errno when it refuses this device as an importer (-EOPNOTSUPP
     * at attach, -ENODEV from a revoked buffer) or refuses to map the buffer for it (-EPERM
     * without peer-to-peer access).
     */
    static int fdToHandle(DrmFile file, Task caller, long fd) {
        file.enter("prime_fd_to_handle");
        // The uapi field is an __s32: a number outside it is no open fd (dma_buf_get's fget fails).
        DmaBuf.Lookup lookup = fd == (int) fd ? DmaBuf.get(caller, (int) fd)
                : new DmaBuf.Lookup(null, Errno.EBADF.neg());
        int ret = lookup.buf() == null ? lookup.errno() : importBuf(file, lookup.buf());
        if (lookup.buf() != null) {
            lookup.buf().put();
        }
        if (file.tracing()) {
            file.trace("prime_fd_to_handle " + fd, Fmt.value(ret));
        }
        return ret;
    }

    /**
     * The handle this file cached for {@code buf}, or a new one for the object importing gives:
     * the exporter's own on the exporting device, else a new object of this device — one per
     * importing file, as the kernel keeps no device-wide cache of foreign buffers.
     */
    private static int importBuf(DrmFile file, DmaBuf buf) {
        int cached = file.prime().handleOf(buf);
        if (cached > 0) {
            return cached;
        }
        PrimeExport export = PrimeExport.of(buf);
        GemObject obj;
        if (export != null && export.object().device() == file.device()) {
            obj = export.object(); // drm_gem_prime_import_dev: our own object, one more reference (DBM-1)
            obj.get();
        } else {
            // xe_gem_prime_import: another device's buffer, whoever exported it (PRIME or not)
            PrimeImport.Imported imported = PrimeImport.importBuf(file, buf);
            if (imported.obj() == null) {
                return imported.errno();
            }
            obj = imported.obj();
        }
        int handle = file.handleCreate(obj);
        if (obj.dmaBuf() == null) {
            obj.cacheDmaBuf(buf);
        }
        file.prime().add(buf, handle);
        return handle;
    }

    private static String flagWords(int flags) {
        return ((flags & DRM_CLOEXEC) != 0 ? " cloexec" : "") + ((flags & DRM_RDWR) != 0 ? " rdwr" : "")
                + ((flags & ~(DRM_CLOEXEC | DRM_RDWR)) != 0 ? " flags=" + Fmt.hex(flags) : "");
    }
}
