package accelmm.mm;

import accelmm.sim.LockClass;
import accelmm.sim.RwSemaphore;
import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.List;

/**
 * Models {@code struct anon_vma} as the reverse map uses it: the VMAs that may map the
 * anonymous pages created under it. In the kernel they hang off its interval tree of
 * {@code anon_vma_chain} links; here they are a list in link order, so that a walk visits them
 * in an order that does not depend on identities.
 *
 * <p>A VMA gets its own anon_vma at its first anonymous page ({@code anon_vma_prepare}, which
 * may reuse a compatible neighbour's), keeps its parent's anon_vmas and adds a new one at fork
 * ({@code anon_vma_fork}), shares its anon_vma with the pieces of a split ({@code
 * anon_vma_clone}), and is unlinked from every one of them when it goes ({@code
 * unlink_anon_vmas}). A page created in a VMA points at that VMA's anon_vma, which every VMA
 * that can map the page (the VMA itself, its pieces, its children) is linked to. See {@link Rmap}.
 *
 * <p>Locking: the anon_vmas of a fork family share one lock, the {@code rwsem} of their root
 * (the anon_vma of the first process; {@code anon_vma_fork} gives a child's own anon_vma its
 * parent's root). A reverse-map walk holds it for reading ({@code anon_vma_lock_read}), {@code
 * mm_take_all_locks} for writing ({@link MmAllLocks}).
 *
 * <p>The list of VMAs is shared state, reported for the whole family as one piece (the root's
 * {@code shared}), as the family shares one lock.
 */
final class AnonVma {

    /** The lockdep class of every anon_vma's {@code rwsem}. */
    static final LockClass LOCK = new LockClass("anon_vma->rwsem");

    private final AnonVma root;
    /** The lock of the family; only the root has one. */
    private final RwSemaphore rwsem;
    private final List<Vma> vmas = new ArrayList<>(2);
    /** The VMA lists of the whole family, as the explorer sees them (the root's). */
    private final Shared shared;

    /** {@code anon_vma_alloc}: a new root, named after the mm of the VMA it is made for. */
    AnonVma(MmStruct mm) {
        this.root = this;
        this.rwsem = new RwSemaphore(mm.kernel().sim(), "anon_vma of " + mm, LOCK);
        this.shared = mm.kernel().sim().shared("anon_vma family");
    }

    /** A child's own anon_vma at fork, in {@code parent}'s family ({@code anon_vma->root = pvma->anon_vma->root}). */
    AnonVma(AnonVma parent) {
        this.root = parent.root;
        this.rwsem = null;
        this.shared = parent.root.shared;
    }

    /** {@code anon_vma->root}: the anon_vma whose lock the family shares (itself for a root). */
    AnonVma root() {
        return root;
    }

    /** {@code anon_vma->root->rwsem}: the lock that covers this anon_vma. */
    RwSemaphore lock() {
        return root.rwsem;
    }

    /** The VMAs linked to this anon_vma, in link order (not a copy: callers only read). */
    List<Vma> vmas() {
        shared.read();
        return vmas;
    }

    void link(Vma vma) {
        shared.write();
        if (vmas.contains(vma)) {
            throw new IllegalStateException(vma + " linked twice to one anon_vma");
        }
        vmas.add(vma);
    }

    void unlink(Vma vma) {
        shared.write();
        if (!vmas.remove(vma)) {
            throw new IllegalStateException(vma + " is not linked to this anon_vma");
        }
    }
}
