package accelmm.mm;

import java.util.EnumSet;
import java.util.Set;

/**
 * VMA merging (mm/vma.c): a range whose flags change ({@code vma_merge_existing_range}, from
 * mprotect and madvise through {@code vma_modify}) or a new mapping ({@code
 * vma_merge_new_range}, from mmap) joins an adjacent VMA that it could have been part of, so
 * that splitting a mapping and changing it back leaves one VMA, as in Linux.
 *
 * <p>Design note. Two VMAs can merge when they are adjacent and, in the kernel's words, have
 * identical properties ({@code is_mergeable_vma}: the same flags and the same file; the model
 * has no mempolicy, userfaultfd context or anon name), their anonymous pages can live under one
 * anon_vma ({@code is_mergeable_anon_vma}) and the file offsets run on ({@code vm_pgoff}
 * contiguous). Never: VMAs with a {@code VM_SPECIAL} flag (IO, DONTEXPAND, PFNMAP, MIXEDMAP),
 * and a merge that would remove a VMA whose owner has a {@code ->close}
 * ({@code can_merge_remove_vma}; a removed VMA is not closed, only its file reference dropped).
 *
 * <pre>
 *   mprotect(middle, r)        |---rw---|---r---|---rw---|   split into three
 *   mprotect(middle, rw)       |-----------rw-----------|    prev absorbs middle and next
 *                                prev   delete   delete
 * </pre>
 *
 * <p>Not modelled: the retry of {@code vma_merge_new_range} after a driver's {@code ->mmap}
 * changed the flags (drivers of the model set VM_SPECIAL flags, which never merge).
 */
final class VmaMerge {

    private static final Set<VmFlag> SPECIAL = EnumSet.of(VmFlag.IO, VmFlag.DONTEXPAND, VmFlag.PFNMAP,
            VmFlag.MIXEDMAP);

    private VmaMerge() {
    }

    /**
     * {@code vma_modify_flags} then the caller's flag update: the VMA that covers
     * {@code [start, end)} of {@code vma} with {@code newFlags} — a neighbour the range merged
     * into, or the range split off {@code vma} ({@code split_vma}). {@code vma} itself when it
     * already has those flags.
     */
    static Vma modifyFlags(Vma vma, long start, long end, Set<VmFlag> newFlags) {
        if (vma.hasFlags(newFlags)) {
            return vma;
        }
        Vma merged = mergeExistingRange(vma, start, end, newFlags);
        if (merged != null) {
            return merged;
        }
        MmStruct mm = vma.mm();
        Vma piece = vma;
        if (piece.start() < start) {
            piece = mm.splitVma(piece, start);
        }
        if (piece.end() > end) {
            mm.splitVma(piece, end);
        }
        piece.setFlags(newFlags);
        return piece;
    }

    /**
     * {@code vma_merge_existing_range}: merges {@code [start, end)} of {@code middle}, about to
     * get {@code newFlags}, with the previous and/or next VMA; returns the merged VMA or null.
     */
    private static Vma mergeExistingRange(Vma middle, long start, long end, Set<VmFlag> newFlags) {
        boolean leftSide = start == middle.start();
        boolean rightSide = end == middle.end();
        if (special(newFlags) || (!leftSide && !rightSide)) {
            return null;
        }
        MmStruct mm = middle.mm();
        long pgoff = middle.linearPageIndex(start);
        long pages = (end - start) >>> PageFrame.PAGE_SHIFT;
        Vma prev = leftSide ? mm.vmaBelow(middle.start()) : null;
        Vma next = rightSide ? mm.vmaAtOrAbove(middle.end()) : null;
        boolean mergeLeft = prev != null && prev.end() == start
                && canMergeAfter(prev, newFlags, middle.file(), middle, pgoff);
        boolean mergeRight = next != null && next.start() == end
                && canMergeBefore(next, newFlags, middle.file(), middle, pgoff + pages)
                && (!mergeLeft || anonVmasCompatible(prev, next));
        if (!mergeLeft && !mergeRight) {
            return null;
        }
        boolean deletesMiddle = leftSide && rightSide;
        if (deletesMiddle && !canMergeRemove(middle)) {
            return null;
        }
        if (mergeLeft && mergeRight && !canMergeRemove(next)) {
            mergeRight = false;
        }
        if (mergeLeft && mergeRight) {
            // prev extends over middle and next, which both go.
            Rmap.anonVmaClone(prev, next.anonVma() != null ? next : middle);
            mm.adjustVma(prev, prev.start(), next.end(), prev.pgoff());
            removeMerged(middle);
            removeMerged(next);
            return prev;
        }
        if (mergeLeft) {
            // prev extends to end; middle shrinks from the left or goes.
            Rmap.anonVmaClone(prev, middle);
            if (deletesMiddle) {
                removeMerged(middle);
            } else {
                mm.adjustVma(middle, end, middle.end(), middle.linearPageIndex(end));
            }
            mm.adjustVma(prev, prev.start(), end, prev.pgoff());
            return prev;
        }
        // next extends down to start; middle shrinks from the right or goes.
        Rmap.anonVmaClone(next, middle);
        if (deletesMiddle) {
            removeMerged(middle);
        } else {
            mm.adjustVma(middle, middle.start(), start, middle.pgoff());
        }
        mm.adjustVma(next, start, next.end(), pgoff);
        return next;
    }

    /**
     * {@code vma_merge_new_range}: a new mapping of {@code [start, end)} with {@code flags},
     * {@code file} and {@code pgoff}, checked before the file's {@code ->mmap} runs, extends the
     * previous and/or next VMA instead of becoming one of its own; returns that VMA, or null.
     * The new mapping has no anon_vma yet.
     */
    static Vma mergeNewRange(MmStruct mm, long start, long end, Set<VmFlag> flags, File file, long pgoff) {
        if (special(flags)) {
            return null;
        }
        long pages = (end - start) >>> PageFrame.PAGE_SHIFT;
        Vma prev = mm.vmaBelow(start);
        Vma next = mm.vmaAtOrAbove(end);
        boolean mergeLeft = prev != null && prev.end() == start && canMergeAfter(prev, flags, file, null, pgoff);
        boolean mergeRight = next != null && next.start() == end
                && canMergeBefore(next, flags, file, null, pgoff + pages)
                && (!mergeLeft || anonVmasCompatible(prev, next));
        if (mergeLeft) {
            long newEnd = end;
            if (mergeRight && canMergeRemove(next)) {
                Rmap.anonVmaClone(prev, next);
                newEnd = next.end();
                removeMerged(next);
            }
            mm.adjustVma(prev, prev.start(), newEnd, prev.pgoff());
            return prev;
        }
        if (mergeRight) {
            mm.adjustVma(next, start, next.end(), pgoff);
            return next;
        }
        return null;
    }

    /** {@code can_vma_merge_after}: the range at {@code pgoff} may extend {@code prev} upward. */
    private static boolean canMergeAfter(Vma prev, Set<VmFlag> flags, File file, Vma middle, long pgoff) {
        return mergeable(prev, flags, file) && anonVmaMergeable(prev, middle) && prev.linearPageIndex(prev.end()) == pgoff;
    }

    /** {@code can_vma_merge_before}: the range ending at {@code endPgoff} may extend {@code next} down. */
    private static boolean canMergeBefore(Vma next, Set<VmFlag> flags, File file, Vma middle, long endPgoff) {
        return mergeable(next, flags, file) && anonVmaMergeable(next, middle) && next.pgoff() == endPgoff;
    }

    /** {@code is_mergeable_vma}: the same flags and the same file. */
    private static boolean mergeable(Vma target, Set<VmFlag> flags, File file) {
        return target.hasFlags(flags) && target.file() == file;
    }

    /**
     * {@code is_mergeable_anon_vma}: the pages of {@code src} (null for a new mapping) and
     * {@code target} can live under one anon_vma — one of them has none and the other is not a
     * fork child's (whose several anon_vmas the kernel keeps out of merges), or they share it.
     */
    private static boolean anonVmaMergeable(Vma target, Vma src) {
        AnonVma targetAnon = target.anonVma();
        AnonVma srcAnon = src == null ? null : src.anonVma();
        if (targetAnon == null && srcAnon != null) {
            return !forkChild(src);
        }
        if (targetAnon != null && srcAnon == null) {
            return !forkChild(target);
        }
        return targetAnon == srcAnon;
    }

    /** {@code vma_is_fork_child}: linked to more than its own anon_vma. */
    private static boolean forkChild(Vma vma) {
        return vma.anonVma() != null && vma.anonVmaChain().size() != 1;
    }

    /** Merging both sides also needs prev's and next's anon_vmas to agree with each other. */
    private static boolean anonVmasCompatible(Vma prev, Vma next) {
        return prev.anonVma() == null || next.anonVma() == null || prev.anonVma() == next.anonVma();
    }

    /** {@code can_merge_remove_vma}: a VMA may be merged away only if its owner has no {@code ->close}. */
    private static boolean canMergeRemove(Vma vma) {
        return vma.ops() == null || !vma.ops().hasClose();
    }

    private static boolean special(Set<VmFlag> flags) {
        for (VmFlag f : SPECIAL) {
            if (flags.contains(f)) {
                return true;
            }
        }
        return false;
    }

    /** {@code vma_complete} for a removed VMA: out of the tree and the reverse map, file put, not closed. */
    private static void removeMerged(Vma vma) {
        vma.mm().removeVma(vma);
        if (vma.file() != null) {
            vma.file().put();
        }
    }
}
