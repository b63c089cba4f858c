package accelmm.check;

import accelmm.mm.MemoryAccess;
import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;

/**
 * {@code incoherent-access}: an access through a mapping whose memory type disagrees about
 * caching with the frame's own type ({@link PageFrame#cacheMode}): a cached (WB) alias of memory
 * its owner maps uncached (WC or UC), or an uncached alias of memory its owner caches. The two
 * views of the frame then see different bytes: a store through one sits in a cache line the
 * other does not look at, and a line written back later overwrites what the uncached side
 * stored. The x86 PAT code refuses such aliases for the mappings it tracks ({@code
 * memtype_reserve} in arch/x86/mm/pat/memtype.c) because some processors misbehave on them; the
 * paths a guest takes (stage 2 overriding the guest's own types) and a driver that picks the
 * wrong pgprot are where they arise anyway.
 *
 * <p>WC against UC is not flagged: neither goes through the caches, so the memory holds what
 * either wrote; they differ in how stores are buffered and ordered, which is a question of
 * ordering, not of which bytes the other side sees.
 *
 * <p>Judged at the access, not when a mapping is made: an alias never touched does no harm. The
 * frame's own type stands for the owner's live mappings (its linear map, the device's, its CPU
 * mmaps), so the check is O(1) per access rather than a count of live translations per type kept
 * at every install and clear. An access whose type is not set ({@code null}: the kernel's own
 * copies, snooping DMA) agrees by construction.
 *
 * <p>Self-snoop: an uncached access by an agent that snoops the CPU caches on uncached accesses
 * ({@link MemoryAccess#snoopsCaches}: an x86 CPU with X86_FEATURE_SELFSNOOP, here a guest on an
 * x86 host) finds a line the cached side holds dirty, so an uncached alias of cacheable memory is
 * coherent there and not flagged. The reverse stays a hazard: a cached alias of memory that the
 * owner (a device among them) accesses uncached leaves stores in a line the owner never looks
 * at. KVM offers honouring the guest's PAT for RAM only on such CPUs ({@code
 * KVM_X86_QUIRK_IGNORE_GUEST_PAT}, arch/x86/kvm/x86.c) for this reason. An arm64 CPU's
 * non-cacheable accesses do not snoop: both directions are flagged.
 */
public final class IncoherentAccess implements AccessInvariant {

    @Override
    public InvariantKind kind() {
        return InvariantKind.INCOHERENT_ACCESS;
    }

    @Override
    public String check(MemoryAccess a, int[] labels) {
        PageCacheMode mode = a.cacheMode();
        PageFrame frame = a.frame();
        if (mode == null || mode.cacheable() == frame.cacheMode().cacheable()) {
            return null;
        }
        if (!mode.cacheable() && a.snoopsCaches()) {
            return null; // an uncached access that snoops sees what the cached side holds
        }
        Object owner = frame.cacheModeOwner();
        return a.via() + " " + (a.write() ? "write" : "read") + " on behalf of " + a.principal() + " through "
                + a.through() + " with type " + mode + " reached " + frame + ", whose own type is "
                + frame.cacheMode() + (owner == null ? "" : " (" + owner + ")");
    }
}
