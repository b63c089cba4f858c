package accelmm.accel;

import accelmm.mm.MmStruct;
import accelmm.mm.MmuNotifier;
import accelmm.sim.Cost;
import accelmm.sim.LockClass;
import accelmm.sim.Mutex;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import java.util.TreeMap;

/**
 * The shared-virtual-addressing half of the IOMMU core (drivers/iommu/iommu-sva.c), for the
 * devices of one machine: a PASID per address space, allocated from one global space at the
 * first bind ({@code iommu_alloc_mm_data}, {@code iommu_alloc_global_pasid}, from 1) and kept
 * with the {@code mm_struct} ({@code mm_pasid_drop} frees it only when the structure goes, which
 * the model never reaches while a run lasts), so every device and every bind of one process sees
 * the same PASID; and one SVA domain per device and address space, refcounted: a second bind of
 * the same pair takes another reference ({@code domain->users++}), the last unbind frees it.
 *
 * <p>The domain holds the {@code mm_struct} itself ({@code mmgrab} when it is allocated, {@code
 * mmdrop} when it is freed), not its address space: the process may exit, and then the device's
 * accesses find no pages (their I/O page faults fail).
 *
 * <p>A new domain registers its mmu notifier on the mm (the IOMMU driver's SVA domain
 * allocation, {@code intel_svm_domain_alloc} or {@code arm_smmu_sva_domain_alloc}, calls {@code
 * mmu_notifier_register}), and the freed one unregisters it ({@code mmu_notifier_put}): until
 * then every TLB flush of the mm's page tables (munmap, a COW break, mprotect, fork,
 * migration) also invalidates the IOTLB and the device's ATC for the PASID, counted as one
 * {@link Cost#TLB_INVALIDATION} per flushed range. The PASID's teardown flushes once more: at
 * the last unbind, or earlier at the mm's teardown, whose {@code release} takes the notifier
 * off the mm before the exit's own flushes.
 *
 * <p>Binds and unbinds run under the global {@code iommu_sva_lock} mutex, as {@code
 * iommu_sva_bind_device} and {@code iommu_sva_unbind_device} take it around the domain lookup,
 * the allocation (with its {@code mmu_notifier_register}, which may sleep) and the user count:
 * two threads of one process opening queues of one device at once find one domain, never two.
 * (The kernel's {@code uacce_fops_open} also holds the device's {@code uacce->mutex} around the
 * bind, so for one device that lock serialises them first; it is not modelled, as {@code
 * iommu_sva_lock} gives the same exclusion and also covers binds of one mm to different devices,
 * which share the mm's PASID. The order in the kernel is {@code uacce->mutex}, then {@code
 * iommu_sva_lock}, then mmap_lock.)
 */
public final class IommuSva {

    /** {@code iommu_sva_lock} (drivers/iommu/iommu-sva.c). */
    static final LockClass SVA_LOCK = new LockClass("iommu_sva_lock");

    /** {@code mm->iommu_mm->pasid}, by mm id. */
    private final TreeMap<Integer, Integer> pasids = new TreeMap<>();
    /** The live SVA domains, by device name and mm id. */
    private final TreeMap<String, Domain> domains = new TreeMap<>();
    private int nextPasid = 1;
    private final Mutex lock;
    private final Simulation sim;
    /** The PASIDs, the domains and the PASID allocator. */
    private final Shared shared;

    public IommuSva(Simulation sim) {
        this.sim = sim;
        this.lock = new Mutex(sim, "iommu_sva_lock", SVA_LOCK);
        this.shared = sim.shared("iommu sva");
    }

    /** One device's SVA domain over one address space: what a queue bound to a PASID translates through. */
    static final class Domain implements MmuNotifier {
        private final String key;
        private final MmStruct mm;
        private final int pasid;
        private int users;
        /** The PASID's table entry was cleared (and the IOTLB and ATC flushed) by the mm's release. */
        private boolean pasidTornDown;
        /** The users and the torn-down flag (the mm's release may come from another process). */
        private final Shared shared;

        private Domain(String key, MmStruct mm, int pasid, Shared shared) {
            this.key = key;
            this.shared = shared;
            this.mm = mm;
            this.pasid = pasid;
        }

        MmStruct mm() {
            return mm;
        }

        int pasid() {
            return pasid;
        }

        /**
         * The domain's {@code arch_invalidate_secondary_tlbs}: flushes the IOTLB and ATC entries
         * of the PASID over the range ({@code intel_arch_invalidate_secondary_tlbs},
         * {@code arm_smmu_mm_arch_invalidate_secondary_tlbs}); only counted, since the model's
         * IOMMU translates through the CPU page table at each access and caches nothing.
         */
        @Override
        public boolean hasSecondaryTlbOps() {
            return true;
        }

        @Override
        public void archInvalidateSecondaryTlbs(MmStruct flushed, long start, long end) {
            flushed.kernel().sim().costs().count(Cost.TLB_INVALIDATION);
        }

        /**
         * The domain's {@code release} at the mm's teardown ({@code intel_mm_release}, {@code
         * arm_smmu_mm_release}): the PASID's entry is cleared so the device can no longer walk
         * page tables about to be freed, and the IOTLB and ATC are flushed with it, one
         * invalidation; the unbind later finds the entry gone and flushes nothing.
         */
        @Override
        public void release(MmStruct released) {
            shared.write();
            pasidTornDown = true;
            released.kernel().sim().costs().count(Cost.TLB_INVALIDATION);
        }

        /**
         * The PASID's teardown when the last user unbinds ({@code remove_dev_pasid}: {@code
         * intel_pasid_tear_down_entry} flushes the PASID cache, IOTLB and device TLB), unless
         * the mm's release did it already; then the notifier goes ({@code mmu_notifier_put}).
         */
        private void detach() {
            shared.write();
            if (!pasidTornDown) {
                pasidTornDown = true;
                mm.kernel().sim().costs().count(Cost.TLB_INVALIDATION);
            }
            mm.mmuNotifierPut(this);
        }
    }

    /**
     * {@code iommu_sva_bind_device(dev, mm)}: the existing domain of the pair with one more
     * user, or a new one (which grabs the mm); the mm gets its PASID on its first bind.
     */
    Domain bind(String device, MmStruct mm) {
        lock.lock();
        try {
            shared.write();
            int pasid = pasids.computeIfAbsent(mm.id(), id -> nextPasid++);
            String key = device + "/" + mm.id();
            Domain domain = domains.get(key);
            if (domain == null) {
                domain = new Domain(key, mm, pasid, sim.shared("sva domain"));
                mm.mmgrab();
                mm.mmuNotifierRegister(domain);
                shared.write(); // the registration takes mmap_lock and may sleep
                domains.put(key, domain);
            }
            domain.shared.write();
            domain.users++;
            return domain;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code iommu_sva_unbind_device}: the last user frees the domain, which unregisters its
     * notifier and drops the mm.
     */
    void unbind(Domain domain) {
        lock.lock();
        try {
            shared.write();
            domain.shared.write();
            if (domain.users <= 0 || domains.get(domain.key) != domain) {
                throw new IllegalStateException("iommu_sva_unbind_device of an unbound domain " + domain.key);
            }
            if (--domain.users == 0) {
                domains.remove(domain.key);
                domain.detach();
                domain.mm.mmdrop();
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many SVA domains are live, for tests and leak reports. */
    int domainCount() {
        shared.read();
        return domains.size();
    }
}
