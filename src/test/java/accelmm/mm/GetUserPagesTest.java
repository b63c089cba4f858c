package accelmm.mm;

import static accelmm.mm.MmFixture.PAGE;
import static accelmm.mm.MmFixture.frameAt;
import static accelmm.mm.MmFixture.mmapAnon;
import static accelmm.mm.MmFixture.mmapFile;
import static accelmm.mm.MmFixture.pte;
import static accelmm.mm.MmFixture.readByte;
import static accelmm.mm.MmFixture.writeByte;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.TestFiles.MixedMapDevice;
import accelmm.mm.TestFiles.PfnDevice;
import accelmm.sim.Cost;
import org.junit.jupiter.api.Test;

/**
 * The mm entry points KVM's {@code hva_to_pfn} uses: {@code get_user_pages} with FOLL_GET (mm/gup.c:
 * a page reference, not a pin), {@code fixup_user_fault} (mm/gup.c) and {@code
 * follow_pfnmap_start} (mm/memory.c).
 */
class GetUserPagesTest {

    private final MmFixture fx = new MmFixture();
    private final Task p = fx.process("P");

    private long get(long addr, boolean write, PageFrame[] pages) {
        return fx.kernel.gup().getUserPagesUnlocked(p.mm(), addr, pages.length, write, pages);
    }

    private int fixup(long addr, boolean write) {
        p.mm().mmapLock().downRead();
        try {
            return fx.kernel.gup().fixupUserFault(p.mm(), addr, write);
        } finally {
            p.mm().mmapLock().upRead();
        }
    }

    private FollowPfnmap follow(long addr) {
        p.mm().mmapLock().downRead();
        try {
            return FollowPfnmap.start(p.mm().findVma(addr), addr);
        } finally {
            p.mm().mmapLock().upRead();
        }
    }

    // ---- get_user_pages (FOLL_GET) ----------------------------------------------------------

    @Test
    void getUserPages_page_takesReferenceNotPin() {
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            PageFrame frame = frameAt(p, a);
            int refs = frame.refCount();
            PageFrame[] pages = new PageFrame[1];

            assertThat(get(a, true, pages)).isEqualTo(1);

            assertThat(pages[0]).isSameAs(frame);
            assertThat(frame.refCount()).isEqualTo(refs + 1);
            assertThat(frame.pinCount()).isZero();
            assertThat(frame.maybeDmaPinned()).isFalse();
            assertThat(p.mm().hasPinned()).isFalse();
            assertThat(fx.sim.costs().get(Cost.PAGE_PINNED)).isZero();
            frame.put();
            assertThat(frame.refCount()).isEqualTo(refs);
        });
    }

    @Test
    void getUserPages_pfnmapVma_efault() {
        // KVM-03: check_vma_flags refuses VM_IO | VM_PFNMAP for FOLL_GET as for FOLL_PIN; KVM
        // then falls back to follow_pfnmap_start / fixup_user_fault (hva_to_pfn_remapped).
        fx.run(() -> {
            PfnDevice device = new PfnDevice(fx.kernel);
            long a = mmapFile(p, fx.openDevice(p, device), 1, true, 0);
            writeByte(p, a, 0x11);
            int refs = device.frame.refCount();

            assertThat(get(a, false, new PageFrame[1])).isEqualTo(Errno.EFAULT.neg());
            assertThat(device.frame.refCount()).isEqualTo(refs);
        });
    }

    @Test
    void getUserPages_mixedMapBarePfn_eexist() {
        // follow_pfn_pte: a special PTE with no struct page behind it; __get_user_pages stops
        // with -EEXIST when the caller wants pages (5.18+).
        fx.run(() -> {
            MixedMapDevice device = new MixedMapDevice(fx.kernel);
            long a = mmapFile(p, fx.openDevice(p, device), 2, true, 0);
            readByte(p, a + PAGE);

            assertThat(get(a + PAGE, false, new PageFrame[1])).isEqualTo(Errno.EEXIST.neg());
        });
    }

    @Test
    void getUserPages_missingPage_faultsItIn() {
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            PageFrame[] pages = new PageFrame[1];

            assertThat(get(a, true, pages)).isEqualTo(1);

            assertThat(pte(p, a).frame()).isSameAs(pages[0]);
            assertThat(pte(p, a).writable()).isTrue();
        });
    }

    @Test
    void getUserPages_readOfCowSharedAnonPage_doesNotUnshare() {
        // gup_must_unshare: only a read-only FOLL_PIN unshares; a FOLL_GET read takes the
        // COW-shared page as it is.
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            PageFrame shared = frameAt(p, a);
            Task child = p.fork("C");
            PageFrame[] pages = new PageFrame[1];

            assertThat(get(a, false, pages)).isEqualTo(1);

            assertThat(pages[0]).isSameAs(shared);
            assertThat(frameAt(p, a)).isSameAs(shared);
            assertThat(frameAt(child, a)).isSameAs(shared);
            pages[0].put();
        });
    }

    @Test
    void getUserPages_writeOfCowSharedAnonPage_breaksCow() {
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            PageFrame shared = frameAt(p, a);
            Task child = p.fork("C");
            PageFrame[] pages = new PageFrame[1];

            assertThat(get(a, true, pages)).isEqualTo(1);

            assertThat(pages[0]).isNotSameAs(shared).isSameAs(frameAt(p, a));
            assertThat(frameAt(child, a)).isSameAs(shared);
            pages[0].put();
        });
    }

    @Test
    void getUserPages_referenceOutlivesMunmap() {
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            PageFrame[] pages = new PageFrame[1];
            assertThat(get(a, false, pages)).isEqualTo(1);

            assertThat(p.munmap(a, PAGE)).isZero();

            assertThat(pages[0].isFree()).isFalse();
            pages[0].put();
            assertThat(pages[0].isFree()).isTrue();
        });
    }

    @Test
    void getUserPages_heldReference_migrationSkipsThePage() {
        // An unexpected reference makes migration fail (folio_migrate_mapping's refcount check):
        // the page stays where the reference holder found it.
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            PageFrame[] pages = new PageFrame[1];
            assertThat(get(a, false, pages)).isEqualTo(1);

            assertThat(fx.kernel.migrate().migratePages(p.mm(), a, PAGE)).isZero();

            assertThat(frameAt(p, a)).isSameAs(pages[0]);
            pages[0].put();
            assertThat(fx.kernel.migrate().migratePages(p.mm(), a, PAGE)).isEqualTo(1);
        });
    }

    // ---- fixup_user_fault -------------------------------------------------------------------

    @Test
    void fixupUserFault_pfnmapVma_runsDriverFault() {
        // KVM-03: hva_to_pfn_remapped finds no PTE, fixup_user_fault runs the driver's fault
        // handler, which inserts the PFN; the retry of follow_pfnmap_start then finds it.
        fx.run(() -> {
            PfnDevice device = new PfnDevice(fx.kernel);
            long a = mmapFile(p, fx.openDevice(p, device), 1, true, 0);
            assertThat(pte(p, a)).isNull();

            assertThat(fixup(a, true)).isZero();

            assertThat(pte(p, a).special()).isTrue();
            assertThat(pte(p, a).frame()).isSameAs(device.frame);
            assertThat(fx.sim.costs().get(Cost.CPU_FAULT)).isEqualTo(1);
        });
    }

    @Test
    void fixupUserFault_noVma_efault() {
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            assertThat(p.munmap(a, PAGE)).isZero();

            assertThat(fixup(a, false)).isEqualTo(Errno.EFAULT.neg());
        });
    }

    @Test
    void fixupUserFault_writeOnReadOnlyVma_efault() {
        // vma_permits_fault: a write needs VM_WRITE.
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            assertThat(p.mprotect(a, PAGE, Prot.READ)).isZero();

            assertThat(fixup(a, true)).isEqualTo(Errno.EFAULT.neg());
            assertThat(pte(p, a)).isNull();
        });
    }

    @Test
    void fixupUserFault_faultFails_efault() {
        // vm_fault_to_errno: VM_FAULT_SIGBUS gives -EFAULT.
        fx.run(() -> {
            PfnDevice gone = new PfnDevice(fx.kernel) {
                @Override
                public VmFaultResult fault(VmFault fault) {
                    return VmFaultResult.SIGBUS;
                }
            };
            long a = mmapFile(p, fx.openDevice(p, gone), 1, true, 0);

            assertThat(fixup(a, false)).isEqualTo(Errno.EFAULT.neg());
        });
    }

    @Test
    void fixupUserFault_outOfMemory_enomem() {
        // vm_fault_to_errno: VM_FAULT_OOM gives -ENOMEM, not -EFAULT.
        fx.run(() -> {
            PfnDevice starved = new PfnDevice(fx.kernel) {
                @Override
                public VmFaultResult fault(VmFault fault) {
                    return VmFaultResult.OOM;
                }
            };
            long a = mmapFile(p, fx.openDevice(p, starved), 1, true, 0);

            assertThat(fixup(a, true)).isEqualTo(Errno.ENOMEM.neg());
        });
    }

    // ---- follow_pfnmap_start ----------------------------------------------------------------

    @Test
    void followPfnmapStart_noPte_null() {
        fx.run(() -> {
            PfnDevice device = new PfnDevice(fx.kernel);
            long a = mmapFile(p, fx.openDevice(p, device), 1, true, 0);

            assertThat(follow(a)).isNull();
        });
    }

    @Test
    void followPfnmapStart_afterDriverFault_returnsPfnAndWritability() {
        fx.run(() -> {
            PfnDevice device = new PfnDevice(fx.kernel);
            long a = mmapFile(p, fx.openDevice(p, device), 1, true, 0);
            assertThat(fixup(a, true)).isZero();

            FollowPfnmap found = follow(a + 8);

            assertThat(found).isNotNull();
            assertThat(found.frame()).isSameAs(device.frame);
            assertThat(found.writable()).isEqualTo(pte(p, a).writable());
            assertThat(found.special()).isTrue();
        });
    }

    @Test
    void followPfnmapStart_normalVma_null() {
        // Only VM_IO / VM_PFNMAP mappings are looked up.
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);

            assertThat(follow(a)).isNull();
        });
    }
}
