package accelmm.mm;

import static accelmm.mm.MmFixture.PAGE;
import static accelmm.mm.MmFixture.frameAt;
import static accelmm.mm.MmFixture.mmapAnon;
import static accelmm.mm.MmFixture.mmapFile;
import static accelmm.mm.MmFixture.mmapSharedAnon;
import static accelmm.mm.MmFixture.pte;
import static accelmm.mm.MmFixture.readByte;
import static accelmm.mm.MmFixture.writeByte;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fork and copy-on-write of private anonymous memory (KERNEL-SEMANTICS 2.1, 13.3): isolation in
 * both directions, the mprotect trick, R/W and R/O pins across fork under both fork designs,
 * and shared mappings staying shared (HMM-06/07 at the mm level).
 */
class CowForkTest {

    // ---- COW-01 / COW-02: isolation without pins, under both designs -----------------------

    @ParameterizedTest
    @EnumSource(ForkDesign.class)
    void fork_parentWritesAfterFork_childKeepsOriginal_COW01(ForkDesign design) {
        MmFixture fx = new MmFixture(design);
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 2);
            writeByte(parent, a, 0x11);
            writeByte(parent, a + PAGE, 0x12);
            Task child = parent.fork("C");

            writeByte(parent, a, 0x21);
            writeByte(parent, a + PAGE, 0x22);

            assertThat(readByte(child, a)).isEqualTo(0x11);
            assertThat(readByte(child, a + PAGE)).isEqualTo(0x12);
            assertThat(readByte(parent, a)).isEqualTo(0x21);
        });
    }

    @ParameterizedTest
    @EnumSource(ForkDesign.class)
    void fork_childWritesAfterFork_parentKeepsOriginal_COW01(ForkDesign design) {
        MmFixture fx = new MmFixture(design);
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            Task child = parent.fork("C");

            writeByte(child, a, 0x31);

            assertThat(readByte(parent, a)).isEqualTo(0x11);
            assertThat(readByte(child, a)).isEqualTo(0x31);
        });
    }

    @Test
    void fork_privateAnonPage_isSharedWriteProtectedAndNotExclusive() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            PageFrame frame = frameAt(parent, a);
            assertThat(frame.isAnonExclusive()).isTrue();

            Task child = parent.fork("C");

            assertThat(frameAt(child, a)).isSameAs(frame);
            assertThat(pte(parent, a).writable()).isFalse();
            assertThat(pte(child, a).writable()).isFalse();
            assertThat(frame.mapCount()).isEqualTo(2);
            assertThat(frame.refCount()).isEqualTo(2);
            assertThat(frame.isAnonExclusive()).isFalse();
            assertThat(fx.allocated()).isEqualTo(1);
        });
    }

    @Test
    void writeFault_onCowSharedPage_copiesForWriterAndDropsItsMapping() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            PageFrame shared = frameAt(parent, a);
            Task child = parent.fork("C");

            writeByte(parent, a, 0x21);

            PageFrame copy = frameAt(parent, a);
            assertThat(copy).isNotSameAs(shared);
            assertThat(copy.isAnonExclusive()).isTrue();
            assertThat(pte(parent, a).writable()).isTrue();
            assertThat(shared.mapCount()).isEqualTo(1);
            assertThat(frameAt(child, a)).isSameAs(shared);
            assertThat(fx.allocated()).isEqualTo(2);
        });
    }

    @Test
    void writeFault_lastMapperOfFormerlySharedPage_reusesFrame() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            PageFrame frame = frameAt(parent, a);
            Task child = parent.fork("C");
            child.exit();

            writeByte(parent, a, 0x21);

            assertThat(frameAt(parent, a)).isSameAs(frame);
            assertThat(frame.isAnonExclusive()).isTrue();
            assertThat(fx.allocated()).isEqualTo(1);
        });
    }

    @ParameterizedTest
    @EnumSource(ForkDesign.class)
    void fork_parentMprotectReadThenReadWriteThenWrites_childKeepsOriginal_COW02(ForkDesign design) {
        MmFixture fx = new MmFixture(design);
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 2);
            writeByte(parent, a, 0x11);
            writeByte(parent, a + PAGE, 0x12);
            Task child = parent.fork("C");

            assertThat(parent.mprotect(a, 2 * PAGE, Prot.READ)).isZero();
            assertThat(parent.mprotect(a, 2 * PAGE, Prot.READ_WRITE)).isZero();
            writeByte(parent, a, 0x21);
            writeByte(parent, a + PAGE, 0x22);

            assertThat(readByte(child, a)).isEqualTo(0x11);
            assertThat(readByte(child, a + PAGE)).isEqualTo(0x12);
            assertThat(readByte(parent, a + PAGE)).isEqualTo(0x22);
        });
    }

    @Test
    void fork_parentNotifierOnCowRange_seesProtectionPageInvalidation() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 2);
            writeByte(parent, a, 0x11);
            RecordingNotifier rec = new RecordingNotifier();
            parent.mm().insertIntervalNotifier(a, 2 * PAGE, rec, "mirror");

            parent.fork("C");

            // The parent's PTEs lose write permission: a mirror must drop its writable copies.
            assertThat(rec.events()).containsExactly(MmuNotifierEvent.PROTECTION_PAGE);
        });
    }

    @Test
    void fork_zeroPageMapped_childWriteAllocatesOwnFrame() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            assertThat(readByte(parent, a)).isZero();
            Task child = parent.fork("C");
            assertThat(frameAt(child, a).isZeroPage()).isTrue();

            writeByte(child, a, 0x31);

            assertThat(readByte(parent, a)).isZero();
            assertThat(frameAt(parent, a).isZeroPage()).isTrue();
            assertThat(fx.allocated()).isEqualTo(1);
        });
    }

    @Test
    void fork_pfnmapMapping_childMapsSameDeviceFrame() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            TestFiles.PfnDevice device = new TestFiles.PfnDevice(fx.kernel);
            int fd = fx.openDevice(parent, device);
            long a = mmapFile(parent, fd, 1, true, 0);
            writeByte(parent, a, 0x11);

            Task child = parent.fork("C");

            assertThat(pte(child, a).special()).isTrue();
            assertThat(frameAt(child, a)).isSameAs(device.frame);
            writeByte(child, a, 0x22);
            assertThat(readByte(parent, a)).isEqualTo(0x22);
        });
    }

    // ---- COW-07 / COW-08: R/W longterm pins -------------------------------------------------

    @Test
    void write_afterMprotectReadThenReadWriteOfRwPinnedPage_staysOnPinnedFrame_COW07() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            PageFrame pinned = fx.pin(p, a, 1, true, true)[0];

            assertThat(p.mprotect(a, PAGE, Prot.READ)).isZero();
            assertThat(p.mprotect(a, PAGE, Prot.READ_WRITE)).isZero();
            writeByte(p, a, 0x21);

            assertThat(frameAt(p, a)).isSameAs(pinned);
            assertThat(fx.dmaRead(pinned, 0)).isEqualTo(0x21);
        });
    }

    @Test
    void fork_modernWithRwLongtermPin_childGetsCopyAndDmaReachesParentOnly_COW08() {
        MmFixture fx = new MmFixture(ForkDesign.MODERN);
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            PageFrame pinned = fx.pin(parent, a, 1, true, true)[0];

            Task child = parent.fork("C");
            fx.dmaWrite(pinned, 0, 0x44);

            assertThat(frameAt(child, a)).isNotSameAs(pinned);
            assertThat(frameAt(parent, a)).isSameAs(pinned);
            assertThat(readByte(parent, a)).isEqualTo(0x44);
            assertThat(readByte(child, a)).isEqualTo(0x11);
        });
    }

    @Test
    void fork_modernWithRwLongtermPin_parentWriteGoesToPinnedFrame_COW08() {
        MmFixture fx = new MmFixture(ForkDesign.MODERN);
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            PageFrame pinned = fx.pin(parent, a, 1, true, true)[0];
            Task child = parent.fork("C");

            assertThat(pte(parent, a).writable()).as("parent PTE stays writable").isTrue();
            writeByte(parent, a, 0x21);
            fx.dmaWrite(pinned, 1, 0x45);

            assertThat(frameAt(parent, a)).isSameAs(pinned);
            assertThat(fx.dmaRead(pinned, 0)).isEqualTo(0x21);
            assertThat(readByte(parent, a + 1)).isEqualTo(0x45);
            assertThat(readByte(child, a)).isEqualTo(0x11);
            assertThat(readByte(child, a + 1)).isZero();
        });
    }

    @Test
    void fork_legacyWithRwLongtermPin_parentWritesFirst_dmaLandsInChild_COW08() {
        MmFixture fx = new MmFixture(ForkDesign.LEGACY);
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            PageFrame pinned = fx.pin(parent, a, 1, true, true)[0];
            Task child = parent.fork("C");
            assertThat(frameAt(child, a)).as("legacy fork shares the pinned page").isSameAs(pinned);

            writeByte(parent, a, 0x21);
            fx.dmaWrite(pinned, 0, 0x44);

            assertThat(frameAt(parent, a)).isNotSameAs(pinned);
            assertThat(frameAt(child, a)).isSameAs(pinned);
            assertThat(readByte(child, a)).as("child sees the DMA meant for the parent").isEqualTo(0x44);
            assertThat(readByte(parent, a)).as("parent lost coherence with the device").isEqualTo(0x21);
        });
    }

    /**
     * KERNEL-SEMANTICS 13.3 "COW history": before 5.9, {@code do_wp_page} reused an anonymous
     * page when {@code reuse_swap_page} found it mapped once, whatever its page count; the pin
     * did not count. The parent's write copies (the page is mapped twice); the child, now the
     * only mapper, writes into the pinned page in place and the device reads it (seed 002, I1).
     */
    @Test
    void cow_legacyChildWritesAfterParentBrokeCow_reusesPinnedPage_deviceReadsChild() {
        MmFixture fx = new MmFixture(ForkDesign.LEGACY);
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            PageFrame pinned = fx.pin(parent, a, 1, true, true)[0];
            Task child = parent.fork("C");

            writeByte(parent, a, 0x21);
            writeByte(child, a, 0x31);

            assertThat(frameAt(parent, a)).isNotSameAs(pinned);
            assertThat(frameAt(child, a)).as("the child's write reuses the pinned page").isSameAs(pinned);
            assertThat(pte(child, a).writable()).isTrue();
            assertThat(fx.dmaRead(pinned, 0)).as("the device reads what the child wrote").isEqualTo(0x31);
            assertThat(readByte(parent, a)).isEqualTo(0x21);
        });
    }

    /** The same sequence since 5.9: the early copy at fork keeps the pinned page the parent's (COW-08). */
    @Test
    void cow_modernChildWritesAfterFork_neverReachesPinnedPage_COW08() {
        MmFixture fx = new MmFixture(ForkDesign.MODERN);
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            PageFrame pinned = fx.pin(parent, a, 1, true, true)[0];
            Task child = parent.fork("C");

            writeByte(parent, a, 0x21);
            writeByte(child, a, 0x31);

            assertThat(frameAt(parent, a)).isSameAs(pinned);
            assertThat(frameAt(child, a)).isNotSameAs(pinned);
            assertThat(fx.dmaRead(pinned, 0)).as("the device reads what the parent wrote").isEqualTo(0x21);
        });
    }

    /**
     * The legacy rule counts mappings, not references: a pinned page still mapped by both
     * processes is copied on either's write, so the first writer never writes the shared page.
     */
    @Test
    void cow_legacyWriteWhileMappedTwice_copiesEvenThoughPageCountIgnored() {
        MmFixture fx = new MmFixture(ForkDesign.LEGACY);
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            PageFrame pinned = fx.pin(parent, a, 1, true, true)[0];
            Task child = parent.fork("C");

            writeByte(child, a, 0x31);

            assertThat(frameAt(child, a)).isNotSameAs(pinned);
            assertThat(frameAt(parent, a)).isSameAs(pinned);
            assertThat(fx.dmaRead(pinned, 0)).isEqualTo(0x11);
        });
    }

    @ParameterizedTest
    @EnumSource(ForkDesign.class)
    void fork_withoutAnyPin_sharesPageUnderBothDesigns(ForkDesign design) {
        MmFixture fx = new MmFixture(design);
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);

            Task child = parent.fork("C");

            assertThat(parent.mm().hasPinned()).isFalse();
            assertThat(frameAt(child, a)).isSameAs(frameAt(parent, a));
        });
    }

    // ---- COW-09..11: R/O pins unshare ------------------------------------------------------

    @Test
    void pin_readOnlyOnCowSharedPage_unsharesSoPinSeesLaterWrite_COW09() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            PageFrame shared = frameAt(parent, a);
            Task child = parent.fork("C");

            PageFrame pinned = fx.pin(parent, a, 1, false, true)[0];

            assertThat(pinned).as("unshared into a copy").isNotSameAs(shared);
            assertThat(frameAt(parent, a)).isSameAs(pinned);
            assertThat(pinned.isAnonExclusive()).isTrue();
            assertThat(pte(parent, a).writable()).as("unshare does not make the PTE writable").isFalse();
            writeByte(parent, a, 0x21);
            assertThat(frameAt(parent, a)).isSameAs(pinned);
            assertThat(fx.dmaRead(pinned, 0)).isEqualTo(0x21);
            assertThat(readByte(child, a)).isEqualTo(0x11);
        });
    }

    @Test
    void pin_readOnlyOnPreviouslySharedPage_marksItExclusiveWithoutCopy_COW10() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            PageFrame frame = frameAt(parent, a);
            parent.fork("C").exit();

            PageFrame pinned = fx.pin(parent, a, 1, false, true)[0];
            writeByte(parent, a, 0x21);

            assertThat(pinned).isSameAs(frame);
            assertThat(frameAt(parent, a)).isSameAs(frame);
            assertThat(fx.dmaRead(pinned, 0)).isEqualTo(0x21);
        });
    }

    @Test
    void pin_readOnlyOnExclusivePage_pinsItInPlace_COW11() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(p, 1);
            writeByte(p, a, 0x11);
            PageFrame frame = frameAt(p, a);

            PageFrame pinned = fx.pin(p, a, 1, false, true)[0];
            writeByte(p, a, 0x21);

            assertThat(pinned).isSameAs(frame);
            assertThat(fx.dmaRead(pinned, 0)).isEqualTo(0x21);
            assertThat(fx.allocated()).isEqualTo(1);
        });
    }

    @Test
    void pin_readOnlyAfterForkUnderLegacy_sharesThePage_deviceMissesParentsWriteAndSeesChilds() {
        // Before 5.19 GUP had no FAULT_FLAG_UNSHARE: the read-only pin takes the COW-shared page.
        // The parent's next write, the page being mapped twice, copies (the parent leaves the
        // pinned page); the child, now its only mapper, writes into it in place
        // (reuse_swap_page). The device reads what the child wrote, never the parent's data.
        MmFixture fx = new MmFixture(ForkDesign.LEGACY);
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 1);
            writeByte(parent, a, 0x11);
            PageFrame shared = frameAt(parent, a);
            Task child = parent.fork("C");

            PageFrame pinned = fx.pin(parent, a, 1, false, true)[0];

            assertThat(pinned).as("no unshare: the pin is on the shared page").isSameAs(shared);
            assertThat(frameAt(child, a)).isSameAs(pinned);
            writeByte(parent, a, 0x21);
            assertThat(frameAt(parent, a)).as("the parent's write copied").isNotSameAs(pinned);
            assertThat(fx.dmaRead(pinned, 0)).as("the device misses the parent's write").isEqualTo(0x11);
            writeByte(child, a, 0x31);
            assertThat(frameAt(child, a)).as("the child reuses the pinned page").isSameAs(pinned);
            assertThat(fx.dmaRead(pinned, 0)).as("the device reads the child's write").isEqualTo(0x31);
        });
    }

    // ---- HMM-06 / HMM-07 at the mm level -------------------------------------------------

    @Test
    void fork_privateAnon_childWritesStayInChild_HMM06() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapAnon(parent, 4);
            for (int i = 0; i < 4; i++) {
                writeByte(parent, a + (long) i * PAGE, i);
            }
            Task child = parent.fork("C");

            for (int i = 0; i < 4; i++) {
                assertThat(readByte(child, a + (long) i * PAGE)).isEqualTo(i);
                writeByte(child, a + (long) i * PAGE, 0x80 | i);
            }

            for (int i = 0; i < 4; i++) {
                assertThat(readByte(child, a + (long) i * PAGE)).isEqualTo(0x80 | i);
                assertThat(readByte(parent, a + (long) i * PAGE)).isEqualTo(i);
            }
        });
    }

    @Test
    void fork_sharedAnon_childWriteVisibleToParent_HMM07() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapSharedAnon(parent, 2);
            writeByte(parent, a, 0x11);
            Task child = parent.fork("C");

            writeByte(child, a, 0x31);
            writeByte(child, a + PAGE, 0x32);

            assertThat(readByte(parent, a)).isEqualTo(0x31);
            assertThat(readByte(parent, a + PAGE)).isEqualTo(0x32);
            assertThat(frameAt(parent, a)).isSameAs(frameAt(child, a));
        });
    }

    @Test
    void fork_sharedAnon_parentWriteVisibleToChild_HMM07() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            long a = mmapSharedAnon(parent, 1);
            writeByte(parent, a, 0x11);
            Task child = parent.fork("C");
            assertThat(readByte(child, a)).isEqualTo(0x11);

            writeByte(parent, a, 0x21);

            assertThat(readByte(child, a)).isEqualTo(0x21);
        });
    }

    // ---- private file mappings -------------------------------------------------------------

    @Test
    void fork_privateFileMappingWithCowCopy_childInheritsParentsPrivateCopy() {
        MmFixture fx = new MmFixture();
        Task parent = fx.process("P");
        fx.run(() -> {
            int fd = fx.openMemfd(parent);
            long shared = mmapFile(parent, fd, 1, true, 0);
            long priv = mmapFile(parent, fd, 1, false, 0);
            writeByte(parent, shared, 0x11);
            assertThat(readByte(parent, priv)).isEqualTo(0x11);
            writeByte(parent, priv, 0x22);

            Task child = parent.fork("C");

            // dup_mmap copies the PTEs of a VMA with an anon_vma (vma_needs_copy).
            assertThat(readByte(child, priv)).isEqualTo(0x22);
            assertThat(readByte(child, shared)).isEqualTo(0x11);
        });
    }

    @Test
    void writeFault_privateFileMapping_copiesAndLeavesFileUnchanged() {
        MmFixture fx = new MmFixture();
        Task p = fx.process("P");
        fx.run(() -> {
            int fd = fx.openMemfd(p);
            long shared = mmapFile(p, fd, 1, true, 0);
            long priv = mmapFile(p, fd, 1, false, 0);
            writeByte(p, shared, 0x11);
            PageFrame cachePage = frameAt(p, shared);

            writeByte(p, priv, 0x22);

            assertThat(readByte(p, shared)).isEqualTo(0x11);
            assertThat(frameAt(p, priv)).isNotSameAs(cachePage);
            assertThat(frameAt(p, priv).isAnon()).isTrue();
        });
    }
}
