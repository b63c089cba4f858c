package accelmm.mm;

/**
 * Sees every access to page-frame memory. The checker implements it; the model reports to it
 * and never looks at what it concludes.
 */
@FunctionalInterface
public interface MemoryAccessObserver {

    /**
     * Called after the access happened. {@code labels} gives the secret id of each byte read or
     * written (0 for none), or is {@code null} when no byte was labelled.
     */
    void onAccess(MemoryAccess access, int[] labels);
}
