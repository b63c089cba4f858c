package accelmm.drm;

/**
 * Sees every object an ioctl finds by ID, at the ioctl's entry, right after the lookup and
 * before the ioctl acts on it. The checker implements it (the cross-client-access invariant);
 * the model reports to it and never looks at what it concludes.
 */
@FunctionalInterface
public interface HandleLookupObserver {

    /**
     * Called once per object an ioctl looked up successfully.
     *
     * @param caller   the DRM file the ioctl was made on
     * @param object   the object the ID named
     * @param obtained whether {@code caller} ever obtained the object (created it, or got a handle
     *                 to it by import); a file shared by fork or fd passing is the same file
     * @param ioctl    the ioctl's name as scenarios write it, e.g. {@code gem_close}
     */
    void onLookup(DrmFile caller, DrmObject object, boolean obtained, String ioctl);
}
