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
 * {@code pin_user_pages} (mm/gup.c; KERNEL-SEMANTICS 13.2): refused ranges, pin accounting with
 * GUP_PIN_COUNTING_BIAS, the zero page, MMF_HAS_PINNED, and pinned pages outliving munmap.
 */
class GupTest {

    // ---- refused ranges --------------------------------------------------------------------

    @Test
    void pin_unmappedRange_returnsEfault() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            assertThat(p.munmap(a, PAGE)).isZero();

            assertThat(fx.tryPin(p, a, 1, false, true)).isEqualTo(Errno.EFAULT.neg());
        });
    }

    @Test
    void pin_writeOnReadOnlyVma_returnsEfault() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            assertThat(p.mprotect(a, PAGE, Prot.READ)).isZero();

            assertThat(fx.tryPin(p, a, 1, true, true)).isEqualTo(Errno.EFAULT.neg());
            assertThat(frameAt(p, a).pinCount()).isZero();
        });
    }

    @Test
    void pin_readOnProtNoneVma_returnsEfault() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = p.mmap(0, PAGE, Prot.NONE, false, false, -1, 0);

            assertThat(fx.tryPin(p, a, 1, false, false)).isEqualTo(Errno.EFAULT.neg());
        });
    }

    @Test
    void pin_vmIoPfnmapVma_returnsEfault() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            PfnDevice device = new PfnDevice(fx.kernel);
            int fd = fx.openDevice(p, device);
            long a = mmapFile(p, fd, 1, true, 0);
            writeByte(p, a, 0x11);
            assertThat(pte(p, a).special()).isTrue();

            assertThat(fx.tryPin(p, a, 1, false, false)).isEqualTo(Errno.EFAULT.neg());
            assertThat(device.frame.pinCount()).isZero();
        });
    }

    @Test
    void pin_rangeRunningIntoHole_returnsPagesPinnedBeforeIt() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 3);
            assertThat(p.munmap(a + 2 * PAGE, PAGE)).isZero();
            PageFrame[] pages = new PageFrame[3];

            long ret = fx.kernel.gup().pinUserPagesUnlocked(p.mm(), a, 3, true, true, pages);

            assertThat(ret).isEqualTo(2);
            assertThat(pages[0].pinCount()).isEqualTo(1);
            assertThat(pages[1].pinCount()).isEqualTo(1);
            assertThat(pages[2]).isNull();
        });
    }

    @Test
    void pin_unalignedStart_pinsThePageContainingIt() {
        // __get_user_pages follows start itself; gup_fast_fallback masks it with PAGE_MASK.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);
            writeByte(p, a, 0x11);
            writeByte(p, a + PAGE, 0x12);

            PageFrame[] pages = fx.pin(p, a + PAGE - 1, 2, false, false);

            assertThat(pages).containsExactly(frameAt(p, a), frameAt(p, a + PAGE));
            assertThat(frameAt(p, a).pinCount()).isEqualTo(1);
        });
    }

    @Test
    void pin_zeroPages_pinsNothingAndReturnsZero() {
        // __get_user_pages_locked: !nr_pages returns 0 before looking at anything.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);

            assertThat(fx.tryPin(p, a + 4, 0, false, false)).isZero();
            assertThat(p.mm().hasPinned()).isFalse();
        });
    }

    @Test
    void pin_specialPteOfMixedMap_returnsEexist() {
        // vm_normal_page is NULL for the bare PFN; follow_pfn_pte: -EEXIST (Linux 5.18 on).
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            MixedMapDevice device = new MixedMapDevice(fx.kernel);
            int fd = fx.openDevice(p, device);
            long a = mmapFile(p, fd, 2, true, 0);
            readByte(p, a + PAGE);
            assertThat(pte(p, a + PAGE).special()).isTrue();

            assertThat(fx.tryPin(p, a + PAGE, 1, false, false)).isEqualTo(Errno.EEXIST.neg());
            assertThat(device.deviceFrame.pinCount()).isZero();
        });
    }

    @Test
    void pin_mixedMapRangeFromAPage_stopsAtTheSpecialPte() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            MixedMapDevice device = new MixedMapDevice(fx.kernel);
            int fd = fx.openDevice(p, device);
            long a = mmapFile(p, fd, 2, true, 0);
            PageFrame[] pages = new PageFrame[2];

            long ret = fx.kernel.gup().pinUserPagesUnlocked(p.mm(), a, 2, true, false, pages);

            assertThat(ret).isEqualTo(1);
            assertThat(pages[0]).isSameAs(device.page);
            assertThat(device.page.pinCount()).isEqualTo(1);
            Gup.unpinUserPages(pages, 1);
        });
    }

    // ---- accounting ------------------------------------------------------------------------

    @Test
    void pin_mappedPage_raisesRefCountByPinBias() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            PageFrame frame = frameAt(p, a);
            int before = frame.refCount();

            PageFrame pinned = fx.pin(p, a, 1, true, true)[0];

            assertThat(pinned).isSameAs(frame);
            assertThat(frame.refCount()).isEqualTo(before + PageFrame.GUP_PIN_COUNTING_BIAS);
            assertThat(frame.pinCount()).isEqualTo(1);
            assertThat(frame.mapCount()).isEqualTo(1);
            assertThat(frame.maybeDmaPinned()).isTrue();
        });
    }

    @Test
    void unpin_pinnedPages_restoresRefCount() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 2);
            writeByte(p, a, 0x11);
            writeByte(p, a + PAGE, 0x12);
            PageFrame[] pages = fx.pin(p, a, 2, true, true);

            Gup.unpinUserPages(pages, 2);

            for (PageFrame f : pages) {
                assertThat(f.refCount()).isEqualTo(1);
                assertThat(f.pinCount()).isZero();
                assertThat(f.maybeDmaPinned()).isFalse();
            }
        });
    }

    @Test
    void pin_writeOfUntouchedPage_faultsItIn() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);

            PageFrame pinned = fx.pin(p, a, 1, true, false)[0];

            assertThat(frameAt(p, a)).isSameAs(pinned);
            assertThat(pte(p, a).writable()).isTrue();
            assertThat(fx.allocated()).isEqualTo(1);
        });
    }

    @Test
    void pin_shortTermReadOfUntouchedAnon_returnsZeroPageUncounted() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            PageFrame zero = fx.memory().zeroPage();
            int zeroRefs = zero.refCount();

            PageFrame[] pages = fx.pin(p, a, 1, false, false);

            assertThat(pages[0]).isSameAs(zero);
            assertThat(zero.pinCount()).isZero();
            assertThat(zero.refCount()).isEqualTo(zeroRefs);
            assertThat(fx.allocated()).isZero();
            Gup.unpinUserPages(pages, 1);
            assertThat(zero.refCount()).isEqualTo(zeroRefs);
        });
    }

    @Test
    void pin_longtermReadOfUntouchedAnon_unsharesZeroPageSoPinSeesLaterWrite_COW13() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);

            PageFrame pinned = fx.pin(p, a, 1, false, true)[0];
            writeByte(p, a, 0x21);

            // gup_must_unshare: a R/O longterm pin of a non-anon page (the zero page) in a COW
            // mapping unshares it, or the pin would never see the process's writes.
            assertThat(pinned.isZeroPage()).isFalse();
            assertThat(frameAt(p, a)).isSameAs(pinned);
            assertThat(fx.dmaRead(pinned, 0)).isEqualTo(0x21);
        });
    }

    @Test
    void pin_longtermReadOfTheZeroPage_unsharesIntoAZeroedPageWithoutACopy() {
        // The unshare fault goes through wp_page_copy, which gives the zero page's mapping a
        // freshly zeroed page (is_zero_pfn of the old entry) and copies nothing.
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            assertThat(readByte(p, a)).isZero();

            PageFrame pinned = fx.pin(p, a, 1, false, true)[0];

            assertThat(pinned.isZeroPage()).isFalse();
            assertThat(fx.dmaRead(pinned, 0)).isZero();
            assertThat(fx.sim.costs().get(Cost.PAGE_COPIED)).isZero();
        });
    }

    @Test
    void pin_longtermReadOfUntouchedAnonUnderLegacy_pinsTheZeroPageWhichNeverSeesLaterWrites() {
        // fork=legacy predates the longterm unshare (COW-13): the read fault maps the zero page
        // and the pin takes it; the process's write then lands in a fresh page of its own.
        MmFixture fx = new MmFixture(ForkDesign.LEGACY);
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);

            PageFrame pinned = fx.pin(p, a, 1, false, true)[0];
            writeByte(p, a, 0x21);

            assertThat(pinned.isZeroPage()).isTrue();
            assertThat(frameAt(p, a)).isNotSameAs(pinned);
            assertThat(fx.dmaRead(pinned, 0)).isZero();
        });
    }

    @Test
    void pin_longtermReadOfPrivateFilePage_unsharesSoPinSeesLaterWrite_COW13() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            int fd = fx.openMemfd(p);
            long shared = mmapFile(p, fd, 1, true, 0);
            long priv = mmapFile(p, fd, 1, false, 0);
            writeByte(p, shared, 0x11);
            assertThat(readByte(p, priv)).isEqualTo(0x11);
            PageFrame cachePage = frameAt(p, shared);

            PageFrame pinned = fx.pin(p, priv, 1, false, true)[0];
            writeByte(p, priv, 0x22);

            assertThat(pinned).isNotSameAs(cachePage);
            assertThat(fx.dmaRead(pinned, 0)).isEqualTo(0x22);
            assertThat(readByte(p, shared)).as("the file is unchanged").isEqualTo(0x11);
        });
    }

    @Test
    void pin_shortTermReadOfPrivateFilePage_pinsPageCachePage() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            int fd = fx.openMemfd(p);
            long shared = mmapFile(p, fd, 1, true, 0);
            long priv = mmapFile(p, fd, 1, false, 0);
            writeByte(p, shared, 0x11);
            assertThat(readByte(p, priv)).isEqualTo(0x11);

            PageFrame pinned = fx.pin(p, priv, 1, false, false)[0];

            assertThat(pinned).isSameAs(frameAt(p, shared));
        });
    }

    @Test
    void pin_writeOnCowSharedPage_breaksCowForPinner() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            PageFrame shared = frameAt(parent, a);
            Task child = parent.fork("C");

            PageFrame pinned = fx.pin(parent, a, 1, true, true)[0];
            fx.dmaWrite(pinned, 0, 0x44);

            assertThat(pinned).isNotSameAs(shared);
            assertThat(frameAt(parent, a)).isSameAs(pinned);
            assertThat(readByte(parent, a)).isEqualTo(0x44);
            assertThat(readByte(child, a)).isEqualTo(0x11);
        });
    }

    // ---- MMF_HAS_PINNED --------------------------------------------------------------------

    @Test
    void pin_firstInMm_setsHasPinned() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            assertThat(p.mm().hasPinned()).isFalse();

            fx.pin(p, a, 1, true, true);

            assertThat(p.mm().hasPinned()).isTrue();
        });
    }

    @Test
    void unpin_lastPin_keepsHasPinned() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            PageFrame[] pages = fx.pin(p, a, 1, true, true);

            Gup.unpinUserPages(pages, 1);

            assertThat(p.mm().hasPinned()).isTrue();
        });
    }

    @Test
    void fork_modernAfterPinReleased_sharesPageAgain() {
        MmFixture fx = new MmFixture(ForkDesign.MODERN);
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            Gup.unpinUserPages(fx.pin(parent, a, 1, true, true), 1);

            Task child = parent.fork("C");

            // MMF_HAS_PINNED stays, but the page is no longer maybe-DMA-pinned.
            assertThat(parent.mm().hasPinned()).isTrue();
            assertThat(frameAt(child, a)).isSameAs(frameAt(parent, a));
        });
    }

    // ---- lifetime --------------------------------------------------------------------------

    @Test
    void munmap_ofPinnedPage_keepsFrameAllocatedUntilUnpin() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            PageFrame[] pages = fx.pin(p, a, 1, true, true);
            PageFrame frame = pages[0];

            assertThat(p.munmap(a, PAGE)).isZero();

            assertThat(frame.isFree()).isFalse();
            assertThat(frame.mapCount()).isZero();
            assertThat(frame.refCount()).isEqualTo(PageFrame.GUP_PIN_COUNTING_BIAS);
            assertThat(fx.dmaRead(frame, 0)).as("the device still reaches the data").isEqualTo(0x11);
            assertThat(fx.allocated()).isEqualTo(1);

            Gup.unpinUserPages(pages, 1);

            assertThat(frame.isFree()).isTrue();
            assertThat(fx.allocated()).isZero();
        });
    }

    @Test
    void exit_ofProcessWithPinnedPage_leavesFrameToThePinHolder() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            PageFrame[] pages = fx.pin(p, a, 1, true, true);

            p.exit();

            assertThat(pages[0].isFree()).isFalse();
            Gup.unpinUserPages(pages, 1);
            assertThat(pages[0].isFree()).isTrue();
        });
    }
}
