package accelmm.accel;

/**
 * Models {@code enum uacce_qfrt} (include/uapi/misc/uacce/uacce.h): the regions of a queue that
 * user space maps, chosen by the mmap page offset — the doorbell page ({@code UACCE_QFRT_MMIO},
 * offset 0) and the device-user-share memory ({@code UACCE_QFRT_DUS}, offset 1). A larger
 * offset is {@code UACCE_MAX_REGION} or more: -EINVAL.
 */
public enum UacceQfrt {
    MMIO, DUS;

    /** The region at mmap page offset {@code pgoff}, or {@code null} for none (-EINVAL). */
    static UacceQfrt ofPgoff(long pgoff) {
        return pgoff >= 0 && pgoff < values().length ? values()[(int) pgoff] : null;
    }

    /** The mmap page offset of this region, as the language's {@code region=} names it. */
    public long pgoff() {
        return ordinal();
    }
}
