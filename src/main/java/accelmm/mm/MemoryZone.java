package accelmm.mm;

/**
 * Where a page frame lives: system RAM, or the memory of a device (VRAM), which the kernel
 * describes with ZONE_DEVICE struct pages. Device zones belong to the layers above; this layer
 * only tells them apart.
 */
public record MemoryZone(String name, boolean device) {

    /** Host system memory. */
    public static final MemoryZone SYSTEM = new MemoryZone("system", false);

    @Override
    public String toString() {
        return name;
    }
}
