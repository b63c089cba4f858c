package accelmm.mm;

import accelmm.sim.LockClass;
import accelmm.sim.Mutex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A device mirror in the style of lib/test_hmm.c ("dmirror"): an interval notifier over a
 * range of one mm, a driver mutex, and a device page table of HMM pfns that holds no page
 * references. Its invalidate callback takes the mutex, calls {@code setSeq} and erases the
 * device entries in the range. {@link #fault} is the canonical hmm_range_fault retry loop
 * (KERNEL-SEMANTICS 13.1), written once here:
 *
 * <pre>
 *   seq = read_begin; mmap_read_lock; hmm_range_fault; mmap_read_unlock
 *   -EBUSY: start over;  other error: give up
 *   lock mirror; read_retry(seq)? unlock, start over
 *   program device entries; unlock
 * </pre>
 *
 * At the moment of programming, with the mutex held and {@code read_retry} false, it checks the
 * protocol's promise: every pfn is still the frame the CPU page table maps there (same
 * allocation, not freed), and writable only if the CPU PTE is. A broken promise throws an
 * AssertionError inside the device actor, which ends the run as failed.
 */
final class NotifierHarnessMirror implements MmuIntervalNotifierOps {

    /** The result of one {@link #fault}: 0 or an errno, and how many attempts it took. */
    record FaultResult(int ret, int attempts, int ebusy, int collisions, HmmRange range) {
    }

    private final Kernel kernel;
    private final MmStruct mm;
    final Mutex lock;
    final MmuIntervalNotifier notifier;
    /** Device page table: address to the pfn programmed there. */
    final TreeMap<Long, HmmPfn> devicePt = new TreeMap<>();
    final List<MmuNotifierRange> invalidations = new ArrayList<>();

    NotifierHarnessMirror(Kernel kernel, MmStruct mm, long start, long length, String name) {
        this.kernel = kernel;
        this.mm = mm;
        this.lock = new Mutex(kernel.sim(), name, new LockClass("dmirror mutex"));
        this.notifier = mm.insertIntervalNotifier(start, length, this, name);
    }

    @Override
    public boolean invalidate(MmuIntervalNotifier sub, MmuNotifierRange range, long curSeq) {
        lock.lock();
        try {
            sub.setSeq(curSeq);
            invalidations.add(range);
            devicePt.subMap(range.start(), true, range.end(), false).clear();
        } finally {
            lock.unlock();
        }
        return true;
    }

    /**
     * The canonical loop for {@code [start, end)}, faulting ({@code write} for a write request),
     * giving up with -EBUSY after {@code maxAttempts} attempts as dmirror does after its timeout.
     */
    FaultResult fault(long start, long end, boolean write, int maxAttempts) {
        HmmRange range = new HmmRange(notifier, start, end, true, write);
        int ebusy = 0;
        int collisions = 0;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            range.notifierSeq = notifier.readBegin();
            mm.mmapLock().downRead();
            int ret;
            try {
                ret = kernel.hmm().hmmRangeFault(range);
            } finally {
                mm.mmapLock().upRead();
            }
            if (ret == Errno.EBUSY.neg()) {
                ebusy++;
                continue;
            }
            if (ret != 0) {
                return new FaultResult(ret, attempt, ebusy, collisions, range);
            }
            lock.lock();
            try {
                if (notifier.readRetry(range.notifierSeq)) {
                    collisions++;
                    continue;
                }
                program(range);
            } finally {
                lock.unlock();
            }
            return new FaultResult(0, attempt, ebusy, collisions, range);
        }
        return new FaultResult(Errno.EBUSY.neg(), maxAttempts, ebusy, collisions, range);
    }

    /** Stores the pfns in the device page table, checking first that none is stale. */
    private void program(HmmRange range) {
        for (int i = 0; i < range.pageCount(); i++) {
            long address = range.start() + i * NotifierHarness.PAGE;
            HmmPfn pfn = range.pfn(i);
            String problem = staleness(address, pfn);
            if (problem != null) {
                throw new AssertionError("read_retry was false but the pfn at 0x" + Long.toHexString(address)
                        + " is stale: " + problem);
            }
            devicePt.put(address, pfn);
        }
    }

    /**
     * Why {@code pfn} does not match what the CPU maps at {@code address} now, or null if it
     * does: the same allocation of the same frame, and writable only if the CPU PTE is.
     */
    String staleness(long address, HmmPfn pfn) {
        if (!pfn.valid()) {
            return "not valid";
        }
        Pte pte = mm.pageTable().lookup(address);
        if (pte == null || !pte.isPresent()) {
            return "the CPU maps nothing there";
        }
        if (pte.frame() != pfn.frame() || pte.generation() != pfn.generation()) {
            return "the CPU maps " + pte.frame() + " there, not " + pfn.frame();
        }
        if (pfn.frame().isFree()) {
            return pfn.frame() + " is free";
        }
        if (pfn.writable() && !pte.writable()) {
            return "writable for the device but read-only for the CPU";
        }
        return null;
    }

    /** Every device entry that does not match the CPU page table, as address: reason. */
    List<String> incoherentEntries() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Long, HmmPfn> e : devicePt.entrySet()) {
            String problem = staleness(e.getKey(), e.getValue());
            if (problem != null) {
                out.add("0x" + Long.toHexString(e.getKey()) + ": " + problem);
            }
        }
        return out;
    }
}
