package accelmm.drm;

import accelmm.sim.DesignValue;

/**
 * Design key {@code handles}: where the IDs that name GEM objects, VMs and exec queues in ioctls
 * come from (seed 001: "Attaching ID spaces to drm_device is also not great. [...] Much better
 * if their per drm_file and so private to each client").
 */
public enum HandlesDesign implements DesignValue {
    /**
     * As the DRM core and xe do: each {@link DrmFile} has its own tables ({@code
     * drm_file.object_idr}, {@code xe_file.vm.xa}, {@code xe_file.exec_queue.xa}); a number is
     * looked up only in the caller's file, so another file's objects cannot be named at all.
     */
    PER_FILE("per-file"),
    /**
     * One table per kind on the {@link DrmDevice}, shared by every file: IDs are still the lowest
     * free from 1, but any file's ioctl can name (and close, bind, run on) any other file's
     * object by guessing its number.
     */
    DEVICE_GLOBAL("device-global");

    private final String value;

    HandlesDesign(String value) {
        this.value = value;
    }

    @Override
    public String key() {
        return "handles";
    }

    @Override
    public String value() {
        return value;
    }
}
