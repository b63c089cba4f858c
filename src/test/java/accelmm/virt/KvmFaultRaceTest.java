package accelmm.virt;

import static accelmm.virt.VirtFixture.GPA;
import static accelmm.virt.VirtFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.InvariantKind;
import accelmm.mm.Mmap;
import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;
import accelmm.mm.Pte;
import accelmm.sim.Completion;
import accelmm.sim.RandomChoiceSource;
import org.junit.jupiter.api.Test;

/**
 * KVM-02: a stage-2 fault samples {@code mmu_invalidate_seq} before {@code hva_to_pfn} and checks
 * it under {@code mmu_lock} before installing ({@code mmu_invalidate_retry_gfn}, {@code
 * kvm_faultin_pfn} / {@code kvm_tdp_mmu_map} on x86, {@code user_mem_abort} on arm64). A fixed
 * schedule puts the VMM's {@code MADV_DONTNEED} of the page between the two: the invalidation
 * zaps nothing (no entry yet) and ends before the install, so only the seq tells; the fault
 * retries and maps what the VMM maps now. Without the check the entry names the page GUP
 * returned, which the zap freed once the fault dropped GUP's reference.
 */
class KvmFaultRaceTest {

    private record Result(Spte spte, Pte vmmPte, String read) {
    }

    /**
     * The VMM sets up a one-page VM over anonymous memory and lets the host actor go; the vCPU
     * reads the page; the schedule runs the host's {@code MADV_DONTNEED} where the vCPU is about
     * to take {@code mmu_lock} to install the entry.
     */
    private static Result race(VirtFixture fx, PausingChoices choices, Kvm.Variant variant) {
        long[] p = new long[1];
        Kvm[] kvm = new Kvm[1];
        String[] read = new String[1];
        Completion mapped = new Completion(fx.sim, "mapped");
        fx.sim.spawn("vcpu", () -> {
            p[0] = fx.mmapAnon(1);
            fx.hostWrite(p[0], "before");
            kvm[0] = fx.vmOver(KvmConfig.defaults(), variant, p[0], 1, PageCacheMode.WB);
            mapped.completeAll();
            read[0] = fx.guestRead(kvm[0], GPA, 6);
        });
        fx.sim.spawn("host", () -> {
            mapped.waitForCompletion();
            assertThat(fx.vmm.madvise(p[0], PAGE, Mmap.Advice.DONTNEED)).isZero();
        });
        fx.finish();
        assertThat(choices.paused()).as("the vCPU reached the install").isTrue();
        return new Result(kvm[0].stage2().lookup(GPA >>> 12), fx.vmm.mm().pageTable().lookup(p[0]), read[0]);
    }

    @Test
    void invalidationBetweenPfnAndInstall_notifier_retries() {
        PausingChoices choices = new PausingChoices("vcpu", "mutex_lock kvm mmu_lock", "host");
        VirtFixture fx = new VirtFixture(KvmDesign.NOTIFIER, choices);
        Result r = race(fx, choices, Kvm.Variant.FAITHFUL);

        // The retry found the page gone: a fresh fault of the VMM's now empty address maps the zero page.
        assertThat(r.read()).isEqualTo("\0\0\0\0\0\0");
        assertThat(r.spte().ref().frame().isZeroPage()).isTrue();
        assertThat(r.vmmPte().frame()).isSameAs(r.spte().ref().frame());
        assertThat(fx.lastGuestAccess().broken()).isNull();
    }

    @Test
    void sameRace_noRetryVariant_installsStaleSpte() {
        PausingChoices choices = new PausingChoices("vcpu", "mutex_lock kvm mmu_lock", "host");
        VirtFixture fx = new VirtFixture(KvmDesign.NOTIFIER, choices);
        Result r = race(fx, choices, Kvm.Variant.NO_RETRY_CHECK);

        PageFrame old = r.spte().ref().frame();
        assertThat(r.vmmPte()).as("the VMM's PTE was zapped").isNull();
        assertThat(old.isFree()).as("the page GUP returned went with its reference").isTrue();
        assertThat(fx.lastGuestAccess().access().invalidatedMapping()).isTrue();
        assertThat(fx.lastGuestAccess().broken()).isEqualTo(InvariantKind.USE_AFTER_FREE);
    }

    /**
     * Seeded random schedules of a guest reading and writing two pages while the VMM's memory is
     * zapped, migrated, reclaimed and written: under the notifier no guest access goes through an
     * entry the host changed, and the guest sees the VMM's last bytes.
     */
    @Test
    void randomSchedules_notifier_noGuestAccessBreaksAnInvariant() {
        for (int seed = 1; seed <= 40; seed++) {
            VirtFixture fx = new VirtFixture(KvmDesign.NOTIFIER, new RandomChoiceSource(seed));
            long[] p = new long[1];
            Kvm[] kvm = new Kvm[1];
            Completion mapped = new Completion(fx.sim, "mapped");
            Completion moved = new Completion(fx.sim, "moved");
            fx.sim.spawn("vcpu", () -> {
                p[0] = fx.mmapAnon(2);
                fx.hostWrite(p[0], "first");
                kvm[0] = fx.vmOver(KvmConfig.defaults(), p[0], 2, PageCacheMode.WB);
                mapped.completeAll();
                fx.guestRead(kvm[0], GPA, 5);
                assertThat(kvm[0].guestWrite(fx.vmm, GPA + PAGE, VirtFixture.bytes("guest"), null)).isEqualTo(5);
                fx.guestRead(kvm[0], GPA + PAGE, 5);
                moved.waitForCompletion();
                assertThat(fx.guestRead(kvm[0], GPA, 5)).isEqualTo(fx.hostRead(p[0], 5));
            });
            fx.sim.spawn("host", () -> {
                mapped.waitForCompletion();
                fx.kernel.migrate().migratePages(fx.vmm, p[0], 2 * PAGE);
                assertThat(fx.vmm.madvise(p[0] + PAGE, PAGE, Mmap.Advice.DONTNEED)).isZero();
                fx.kernel.migrate().reclaimPages(fx.vmm, p[0], PAGE);
                fx.hostWrite(p[0], "later");
                moved.completeAll();
            });
            fx.finish();
            assertThat(kvm[0].mmuInvalidateInProgress()).as("seed %d", seed).isZero();
            assertThat(fx.guestAccesses).as("seed %d", seed).allSatisfy(g -> assertThat(g.broken()).isNull());
        }
    }
}
