package accelmm.check;

import accelmm.drm.DrmFile;
import accelmm.drm.DrmObject;

/** An invariant judged on every object an ioctl looks up by ID (see {@link LookupChecks}). */
public non-sealed interface LookupInvariant extends Invariant {

    /**
     * What is wrong with {@code caller}'s ioctl acting on {@code object}, in a sentence, or
     * {@code null} if nothing is.
     *
     * @param obtained whether {@code caller} ever obtained the object (created or imported it)
     */
    String check(DrmFile caller, DrmObject object, boolean obtained, String ioctl);
}
