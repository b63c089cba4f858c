package accelmm.drm;

/**
 * An object a DRM file names by ID in its ioctls: a GEM object (by handle), a VM or an exec
 * queue (by xe's IDs). What {@link HandleLookupObserver}s are told about.
 */
public sealed interface DrmObject permits GemObject, GpuVm, ExecQueue {

    /** A serial number, unique in the device among objects of the same kind (not an ID of any file). */
    int id();

    /** The file whose ioctl created the object. */
    DrmFile creator();

    /** How reports name it: {@code gem object 1 (16K)}, {@code vm 1}, {@code exec queue 1}. */
    String label();
}
