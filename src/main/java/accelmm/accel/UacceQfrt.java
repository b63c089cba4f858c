package accelmm.accel;

import accelmm.mm.PageCacheMode;

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

    /**
     * The memory type {@code hisi_qm_uacce_mmap} (drivers/crypto/hisilicon/qm.c) maps the region
     * with: the doorbell registers through {@code pgprot_noncached} (UC); the DUS memory with
     * {@code dma_mmap_coherent}, cached for the model's coherent device (WB).
     */
    PageCacheMode cacheMode() {
        return this == MMIO ? PageCacheMode.UC : PageCacheMode.WB;
    }

    /** The mmap page offset of this region, as the language's {@code region=} names it. */
    public long pgoff() {
        return ordinal();
    }
}
