package accelmm.mm;

/** Models {@code struct mmu_interval_notifier_ops}: the driver's invalidation callback. */
@FunctionalInterface
public interface MmuIntervalNotifierOps {

    /**
     * {@code ->invalidate}: the pages of {@code range} that overlap the subscription are about to
     * change. The driver must stop using them before returning, and must call {@link
     * MmuIntervalNotifier#setSeq} with {@code curSeq} under the lock that guards its {@code
     * readRetry}. May sleep (take locks, wait for fences). Returning false is allowed only for
     * non-blockable ranges, which the model does not produce.
     */
    boolean invalidate(MmuIntervalNotifier subscription, MmuNotifierRange range, long curSeq);
}
