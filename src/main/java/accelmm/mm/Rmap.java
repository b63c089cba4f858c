package accelmm.mm;

import accelmm.sim.RwSemaphore;
import java.util.ArrayList;
import java.util.List;

/**
 * The reverse map (mm/rmap.c): from a page to every PTE that maps it, which migration and
 * reclaim need to move a page that is mapped in several places ({@code try_to_migrate},
 * {@code try_to_unmap}, {@code remove_migration_ptes}).
 *
 * <p>Design note. As in the kernel, pages do not list their mappings; they name where to look.
 * An anonymous page points at the {@link AnonVma} of the VMA it was created in and remembers its
 * linear index ({@code folio->index}); a page cache page points at its file's {@link
 * AddressSpace} and its offset. A walk visits the VMAs linked there, computes the address the
 * page would have in each ({@code vma_address}) and keeps those whose PTE maps this very page
 * ({@code page_vma_mapped_walk}): a VMA linked to the anon_vma of a page it has since replaced
 * by a COW copy maps something else there. The cost stays off the hot paths: a fault sets two
 * fields, fork and split link a VMA once per anon_vma, never once per page.
 *
 * <pre>
 *   parent VMA P ──┐                         page X: anon_vma A, index 0x10000
 *                  ├── anon_vma A            walk(X): P at 0x10000000 maps X   ✓
 *   child VMA C ───┤                                  C at 0x10000000 maps X   ✓ (COW-shared)
 *                  └── anon_vma B (C's own)  page Y created in C: anon_vma B → only C
 * </pre>
 *
 * <p>Locking. A walker holds the lock of what it walks for reading across its work on one page
 * ({@link #lockOf}: the anon_vma family's {@code rwsem} or the file's {@code i_mmap_rwsem}),
 * invalidations included, as {@code rmap_walk_anon} and {@code rmap_walk_file} do around {@code
 * try_to_migrate_one} and {@code try_to_unmap_one}; {@code mm_take_all_locks} ({@link
 * MmAllLocks}) takes them for writing, so that the first notifier registration on an mm never
 * falls between a walker's {@code invalidate_range_start} and {@code _end} there.
 *
 * <p>Simplified: {@code anon_vma_clone} never reuses an anon_vma left without VMAs; linking and
 * unlinking VMAs (fault, fork, split, merge, unmap) takes no lock, each being one step of the
 * model — the kernel's write lock there would also wait for a walker, which the model lets go
 * on; the walker walks again after its callbacks and moves nothing that changed.
 */
final class Rmap {

    /** One PTE mapping a page: the address space and the page-aligned address. */
    record Mapping(MmStruct mm, long address) {
    }

    private Rmap() {
    }

    // ---- anonymous pages ---------------------------------------------------------------------

    /**
     * {@code folio_add_new_anon_rmap}: {@code frame}, just allocated for {@code address} of
     * {@code vma}, becomes an anonymous page under the VMA's anon_vma (made on first use).
     */
    static void addNewAnon(PageFrame frame, Vma vma, long address, boolean exclusive) {
        frame.setAnon(anonVmaPrepare(vma), vma.linearPageIndex(address), exclusive);
    }

    /**
     * {@code anon_vma_prepare}: the VMA's anon_vma, made on its first anonymous page — a
     * neighbour's when {@code find_mergeable_anon_vma} finds one the VMA could share.
     */
    static AnonVma anonVmaPrepare(Vma vma) {
        if (vma.anonVma() == null) {
            AnonVma anonVma = findMergeableAnonVma(vma);
            vma.setAnonVma(anonVma != null ? anonVma : new AnonVma(vma.mm()));
            link(vma, vma.anonVma());
        }
        return vma.anonVma();
    }

    /**
     * {@code find_mergeable_anon_vma}: the next VMA's anon_vma, else the previous one's, when
     * that VMA is adjacent and could merge with this one but for its access flags
     * ({@code anon_vma_compatible}) and its anon_vma is its only one ({@code reusable_anon_vma}).
     * Sharing it keeps the two VMAs mergeable after an mprotect makes their flags equal.
     */
    private static AnonVma findMergeableAnonVma(Vma vma) {
        Vma next = vma.mm().vmaAtOrAbove(vma.end());
        if (next != null && anonVmaCompatible(vma, next) && next.anonVmaChain().size() == 1) {
            return next.anonVma();
        }
        Vma prev = vma.mm().vmaBelow(vma.start());
        if (prev != null && anonVmaCompatible(prev, vma) && prev.anonVmaChain().size() == 1) {
            return prev.anonVma();
        }
        return null;
    }

    /** {@code anon_vma_compatible(a, b)}: {@code b} follows {@code a} as one mapping would. */
    private static boolean anonVmaCompatible(Vma a, Vma b) {
        return a.end() == b.start() && a.file() == b.file() && b.pgoff() == a.linearPageIndex(b.start())
                && a.sameFlagsExcept(b, VmFlag.ACCESS_FLAGS);
    }

    /**
     * {@code anon_vma_clone} (split, and merges through {@code dup_anon_vma}): {@code dst}
     * takes {@code src}'s anon_vma and is linked to every anon_vma {@code src} is linked to.
     */
    static void anonVmaClone(Vma dst, Vma src) {
        if (src.anonVma() == null || dst.anonVma() != null) {
            return;
        }
        dst.setAnonVma(src.anonVma());
        for (AnonVma anonVma : src.anonVmaChain()) {
            link(dst, anonVma);
        }
    }

    /**
     * {@code anon_vma_fork}: the child's copy of a VMA with anonymous pages is linked to all of
     * the parent VMA's anon_vmas (the pages they share are found through those) and gets an
     * anon_vma of its own for the pages it creates from now on.
     */
    static void anonVmaFork(Vma child, Vma parent) {
        if (parent.anonVma() == null) {
            return;
        }
        for (AnonVma anonVma : parent.anonVmaChain()) {
            link(child, anonVma);
        }
        AnonVma own = new AnonVma(parent.anonVma());
        child.setAnonVma(own);
        link(child, own);
    }

    private static void link(Vma vma, AnonVma anonVma) {
        anonVma.link(vma);
        vma.addToAnonVmaChain(anonVma);
    }

    // ---- VMA lifetime ------------------------------------------------------------------------

    /** {@code vma_link_file}: a new VMA of a file whose pages are reverse mapped joins its i_mmap. */
    static void linkFile(Vma vma) {
        AddressSpace mapping = vma.mapping();
        if (mapping != null) {
            mapping.link(vma);
        }
    }

    /** A VMA goes (unmapped, or merged into a neighbour): {@code unlink_anon_vmas} and i_mmap removal. */
    static void unlinkVma(Vma vma) {
        for (AnonVma anonVma : vma.anonVmaChain()) {
            anonVma.unlink(vma);
        }
        vma.clearAnonVmaChain();
        vma.setAnonVma(null);
        AddressSpace mapping = vma.mapping();
        if (mapping != null) {
            mapping.unlink(vma);
        }
    }

    // ---- walks -------------------------------------------------------------------------------

    /**
     * The lock a walk of {@code frame}'s mappings holds ({@code folio_lock_anon_vma_read} or
     * {@code i_mmap_lock_read}): its anon_vma family's, its file's, or {@code null} for a page
     * that is neither anonymous nor in a page cache.
     */
    static RwSemaphore lockOf(PageFrame frame) {
        if (frame.isAnon()) {
            return frame.anonVma().lock();
        }
        return frame.mapping() != null ? frame.mapping().iMmapRwsem() : null;
    }

    /**
     * {@code rmap_walk}: every PTE that maps {@code frame} (this allocation of it), in the order
     * of the VMAs linked to its anon_vma or its file's i_mmap. Empty for a page that is neither
     * anonymous nor in a page cache (device memory, the zero page, a driver's own pages).
     */
    static List<Mapping> walk(PageFrame frame) {
        List<Vma> vmas;
        if (frame.isAnon()) {
            if (frame.anonVma() == null) {
                throw new IllegalStateException("anonymous " + frame + " without an anon_vma");
            }
            vmas = frame.anonVma().vmas();
        } else if (frame.mapping() != null) {
            vmas = frame.mapping().iMmap();
        } else {
            return List.of();
        }
        List<Mapping> out = new ArrayList<>(2);
        for (Vma vma : vmas) {
            long address = vma.addressOf(frame.index());
            if (address >= 0 && maps(vma.mm().pageTable().lookup(address), frame)) {
                out.add(new Mapping(vma.mm(), address));
            }
        }
        return out;
    }

    /** {@code page_vma_mapped_walk} for one address: a present PTE of this allocation of the frame. */
    private static boolean maps(Pte pte, PageFrame frame) {
        return pte != null && pte.isPresent() && !pte.special() && pte.frame() == frame
                && pte.generation() == frame.generation();
    }
}
