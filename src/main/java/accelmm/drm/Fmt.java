package accelmm.drm;

import accelmm.mm.Errno;

/** How DRM operations print numbers in traces and reports: hex addresses, sizes with suffixes. */
final class Fmt {

    private Fmt() {
    }

    /** {@code 0x100000}. */
    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    /** {@code 16K}, {@code 2M}, {@code 1G}, or plain bytes when not a multiple of 1K. */
    static String size(long bytes) {
        return accelmm.mm.Sizes.suffixed(bytes);
    }

    /** {@code ok} or the errno's name: for operations whose success carries no value. */
    static String status(long ret) {
        return Errno.describe(ret);
    }

    /** The value itself on success (a handle, an offset), or the errno's name. */
    static String value(long ret) {
        return Errno.isError(ret) ? Errno.ofReturn(ret).name() : Long.toString(ret);
    }
}
