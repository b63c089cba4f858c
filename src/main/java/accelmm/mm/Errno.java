package accelmm.mm;

/**
 * Linux error numbers (asm-generic/errno-base.h and errno.h), as the model returns them to its
 * callers. Following the kernel, a call returns {@code 0} (or a non-negative value) for success
 * and the negated code for an error, e.g. {@code -Errno.EINVAL.code()}.
 */
public enum Errno {
    EPERM(1), ENOENT(2), ESRCH(3), EINTR(4), EIO(5), ENXIO(6), E2BIG(7), EBADF(9), EAGAIN(11), ENOMEM(12),
    EACCES(13), EFAULT(14), EBUSY(16), EEXIST(17), ENODEV(19), EINVAL(22), EMFILE(24), ENOTTY(25),
    ENOSPC(28), ESPIPE(29), EDEADLK(35), ENOSYS(38), EOPNOTSUPP(95), ENOTCONN(107), ETIMEDOUT(110), ECANCELED(125);

    private final int code;

    Errno(int code) {
        this.code = code;
    }

    /** The positive error number, e.g. 22 for EINVAL. */
    public int code() {
        return code;
    }

    /** The negated error number, as kernel functions return it. */
    public int neg() {
        return -code;
    }

    /** Whether a kernel-style return value is an error ({@code IS_ERR_VALUE}). */
    public static boolean isError(long ret) {
        return ret < 0 && ret >= -4095;
    }

    /** {@link #values()}, which copies its array on every call. */
    private static final Errno[] VALUES = values();

    /** The error a negative return value stands for. */
    public static Errno ofReturn(long ret) {
        if (!isError(ret)) {
            throw new IllegalArgumentException(ret + " is not an error return");
        }
        for (Errno e : VALUES) {
            if (e.code == -ret) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown errno " + -ret);
    }

    /** The error named {@code name} ({@code EINVAL}), or {@code null}. */
    public static Errno named(String name) {
        for (Errno e : values()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** {@code ok} for a non-negative return, otherwise the error's name. */
    public static String describe(long ret) {
        return isError(ret) ? ofReturn(ret).name() : "ok";
    }
}
