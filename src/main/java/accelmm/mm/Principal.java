package accelmm.mm;

/**
 * Whoever an access is made on behalf of: a process for its own CPU loads and stores, and the
 * process owning a device context, queue or memory region for the device's DMA. Secrets are
 * judged against principals.
 */
public record Principal(String name) {

    /** The kernel itself (page copies for COW, migration, swap): never a secret reader. */
    public static final Principal KERNEL = new Principal("kernel");

    @Override
    public String toString() {
        return name;
    }
}
