package accelmm.check;

import accelmm.drm.DrmFile;
import accelmm.drm.DrmObject;

/**
 * {@code cross-client-access}: an ioctl acted on an object that the calling file never
 * obtained — did not create it, import it, or share the creator's DRM file through fork or fd
 * passing. With per-file ID spaces no ID can name such an object; a device-global ID space
 * lets any client name, close, map or run on another client's objects by guessing numbers
 * (seed 001).
 */
public final class CrossClientAccess implements LookupInvariant {

    @Override
    public InvariantKind kind() {
        return InvariantKind.CROSS_CLIENT_ACCESS;
    }

    @Override
    public String check(DrmFile caller, DrmObject object, boolean obtained, String ioctl) {
        if (obtained) {
            return null;
        }
        DrmFile owner = object.creator();
        return "ioctl " + ioctl + " on " + caller + " (opened by " + caller.opener() + ") acted on "
                + object.label() + " of " + owner + " (opened by " + owner.opener()
                + "), which the caller never obtained";
    }
}
