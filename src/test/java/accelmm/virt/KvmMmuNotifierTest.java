package accelmm.virt;

import static accelmm.virt.VirtFixture.GPA;
import static accelmm.virt.VirtFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.Mmap;
import accelmm.mm.MmuNotifierEvent;
import accelmm.mm.MmuNotifierRange;
import accelmm.mm.PageCacheMode;
import accelmm.sim.Cost;
import org.junit.jupiter.api.Test;

/**
 * KVM-01: the mmu notifier of a VM ({@code kvm_mmu_notifier_invalidate_range_start} / {@code
 * _end}, virt/kvm/kvm_main.c) zaps the stage-2 entries of the guest frames an invalidation of the
 * VMM's mm covers, counts the invalidation in progress over their gfn range ({@code
 * kvm_mmu_invalidate_begin}, {@code _range_add}) and bumps {@code mmu_invalidate_seq} before the
 * count drops ({@code kvm_mmu_invalidate_end}); an invalidation that covers no memslot leaves
 * all of it alone.
 */
class KvmMmuNotifierTest {

    private final VirtFixture fx = new VirtFixture(KvmDesign.NOTIFIER);

    @Test
    void createVm_notifierDesign_registersOnVmmMm() {
        fx.run(() -> {
            Kvm kvm = fx.createVm(KvmConfig.defaults());
            assertThat(kvm.notifierRegistered()).isTrue();
        });
    }

    @Test
    void munmapOfMemslotHva_notifier_zapsStage2() {
        fx.run(() -> {
            long p = fx.mmapAnon(2);
            fx.hostWrite(p, "host");
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 2, PageCacheMode.WB);
            assertThat(fx.guestRead(kvm, GPA, 4)).isEqualTo("host");
            assertThat(kvm.stage2().lookup(GPA >>> 12)).isNotNull();
            long seq = kvm.mmuInvalidateSeq();
            long zaps = fx.sim.costs().get(Cost.NOTIFIER_INVALIDATION);
            long flushes = fx.sim.costs().get(Cost.TLB_INVALIDATION);

            assertThat(fx.vmm.munmap(p, PAGE)).isZero();

            assertThat(kvm.stage2().size()).isZero();
            assertThat(kvm.mmuInvalidateSeq()).isEqualTo(seq + 1);
            assertThat(kvm.mmuInvalidateInProgress()).isZero();
            assertThat(fx.sim.costs().get(Cost.NOTIFIER_INVALIDATION)).isEqualTo(zaps + 1);
            assertThat(fx.sim.costs().get(Cost.TLB_INVALIDATION)).isGreaterThan(flushes);
            assertThat(kvm.guestRead(fx.vmm, GPA, new byte[4])).isEqualTo(Errno.EFAULT.neg());
        });
    }

    @Test
    void invalidationOutsideMemslots_notifier_leavesSeq() {
        fx.run(() -> {
            long p = fx.mmapAnon(1);
            long other = fx.mmapAnon(1);
            fx.hostWrite(other, "x");
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 1, PageCacheMode.WB);
            fx.guestRead(kvm, GPA, 1);
            long zaps = fx.sim.costs().get(Cost.NOTIFIER_INVALIDATION);

            assertThat(fx.vmm.madvise(other, PAGE, Mmap.Advice.DONTNEED)).isZero();

            assertThat(kvm.mmuInvalidateSeq()).isZero();
            assertThat(kvm.mmuInvalidateInProgress()).isZero();
            assertThat(kvm.stage2().size()).isEqualTo(1);
            assertThat(fx.sim.costs().get(Cost.NOTIFIER_INVALIDATION)).isEqualTo(zaps);
        });
    }

    @Test
    void invalidateRangeEnd_bumpsSeqBeforeInProgressDrops() {
        fx.run(() -> {
            long p = fx.mmapAnon(4);
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 4, PageCacheMode.WB);
            long gfn = (GPA >>> 12) + 1;
            long sampled = kvm.mmuInvalidateSeq();
            MmuNotifierRange range = new MmuNotifierRange(fx.vmm.mm(), p + PAGE, p + 2 * PAGE, MmuNotifierEvent.CLEAR);

            kvm.notifier().invalidateRangeStart(range);
            kvm.mmuLock().lock();
            assertThat(kvm.mmuInvalidateInProgress()).isEqualTo(1);
            assertThat(kvm.mmuInvalidateSeq()).isEqualTo(sampled);
            assertThat(kvm.mmuInvalidateRetryGfn(sampled, gfn)).as("in progress over the gfn").isTrue();
            assertThat(kvm.mmuInvalidateRetryGfn(sampled, gfn + 1)).as("outside the range").isFalse();
            kvm.mmuLock().unlock();

            kvm.notifier().invalidateRangeEnd(range);
            kvm.mmuLock().lock();
            assertThat(kvm.mmuInvalidateInProgress()).isZero();
            assertThat(kvm.mmuInvalidateSeq()).isEqualTo(sampled + 1);
            assertThat(kvm.mmuInvalidateRetryGfn(sampled, gfn)).as("the seq moved").isTrue();
            assertThat(kvm.mmuInvalidateRetryGfn(sampled + 1, gfn)).isFalse();
            kvm.mmuLock().unlock();
        });
    }

    @Test
    void guestAccesses_notifier_neverThroughInvalidatedMapping() {
        fx.run(() -> {
            long p = fx.mmapAnon(1);
            fx.hostWrite(p, "one");
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 1, PageCacheMode.WB);
            assertThat(fx.guestRead(kvm, GPA, 3)).isEqualTo("one");
            fx.kernel.migrate().migratePages(fx.vmm, p, PAGE);
            assertThat(fx.guestRead(kvm, GPA, 3)).isEqualTo("one");
            fx.kernel.migrate().reclaimPages(fx.vmm, p, PAGE);
            assertThat(kvm.guestWrite(fx.vmm, GPA, VirtFixture.bytes("two"), null)).isEqualTo(3);
            assertThat(fx.hostRead(p, 3)).isEqualTo("two");
            fx.hostWrite(p, "six");
            assertThat(fx.guestRead(kvm, GPA, 3)).isEqualTo("six");
        });
        assertThat(fx.guestAccesses).hasSize(4)
                .allSatisfy(g -> assertThat(g.access().invalidatedMapping()).isFalse())
                .allSatisfy(g -> assertThat(g.broken()).isNull());
    }
}
