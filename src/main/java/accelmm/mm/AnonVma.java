package accelmm.mm;

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
 */
final class AnonVma {

    private final List<Vma> vmas = new ArrayList<>(2);

    /** The VMAs linked to this anon_vma, in link order (not a copy: callers only read). */
    List<Vma> vmas() {
        return vmas;
    }

    void link(Vma vma) {
        if (vmas.contains(vma)) {
            throw new IllegalStateException(vma + " linked twice to one anon_vma");
        }
        vmas.add(vma);
    }

    void unlink(Vma vma) {
        if (!vmas.remove(vma)) {
            throw new IllegalStateException(vma + " is not linked to this anon_vma");
        }
    }
}
