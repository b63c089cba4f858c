package accelmm.virt;

import static accelmm.virt.VirtFixture.GPA;
import static accelmm.virt.VirtFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.MmStruct;
import accelmm.mm.PageCacheMode;
import accelmm.mm.Prot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A VM's lifetime ({@code kvm_create_vm}, {@code kvm_destroy_vm}, virt/kvm/kvm_main.c): it holds
 * its VMM's mm with {@code mmgrab}; at the VMM's exit {@code exit_mm} runs before {@code
 * exit_files}, so the mm's teardown calls the notifier's release ({@code
 * kvm_mmu_notifier_release}: every entry goes) before the VM file's release unregisters it,
 * flushes what is left and drops the mm.
 */
class KvmLifetimeTest {

    @ParameterizedTest
    @EnumSource(KvmDesign.class)
    void vmmExit_releaseThenFileClose_noLeak(KvmDesign design) {
        VirtFixture fx = new VirtFixture(design);
        MmStruct[] mm = new MmStruct[1];
        fx.run(() -> {
            mm[0] = fx.vmm.mm();
            long p = fx.mmapAnon(2);
            fx.hostWrite(p, "anon");
            TestPfnDevice device = new TestPfnDevice(fx.kernel, TestPfnDevice.VRAM, PageCacheMode.WC);
            long d = fx.mmapDevice(device, 1, Prot.READ_WRITE);
            Kvm kvm = fx.vmOver(KvmConfig.defaults(), p, 2, PageCacheMode.WB);
            assertThat(kvm.setUserMemoryRegion(fx.vmm, GPA + 16 * PAGE, d, PAGE)).isZero();
            assertThat(kvm.guestMap(fx.vmm, GPA + 16 * PAGE, PAGE, PageCacheMode.WC)).isZero();
            fx.guestRead(kvm, GPA, 4);
            fx.guestRead(kvm, GPA + PAGE, 4);
            fx.guestRead(kvm, GPA + 16 * PAGE, 4);

            fx.vmm.exit();

            assertThat(kvm.isDestroyed()).isTrue();
            assertThat(kvm.stage2().size()).isZero();
        });
        assertThat(fx.kernel.openFiles()).isEmpty();
        assertThat(fx.kernel.physicalMemory().allocatedCount()).isZero();
        assertThat(mm[0].count()).as("mm_count").isZero();
    }

    @Test
    void vmClose_notifier_unregistersAndDropsMm() {
        VirtFixture fx = new VirtFixture(KvmDesign.NOTIFIER);
        fx.run(() -> {
            int count = fx.vmm.mm().count();
            long fd = Kvm.createVm(fx.kernel, fx.vmm, KvmConfig.defaults());
            assertThat(fx.vmm.mm().count()).as("mmgrab and the registration").isEqualTo(count + 2);
            Kvm kvm = Kvm.ofFile(fx.vmm.files().lookup((int) fd));

            assertThat(fx.vmm.close((int) fd)).isZero();

            assertThat(kvm.isDestroyed()).isTrue();
            assertThat(fx.vmm.mm().mmuNotifiers()).isEmpty();
            assertThat(fx.vmm.mm().count()).isEqualTo(count);
        });
    }

    @Test
    void ofFile_otherFile_null() {
        VirtFixture fx = new VirtFixture(KvmDesign.NOTIFIER);
        fx.run(() -> {
            TestPfnDevice device = new TestPfnDevice(fx.kernel, TestPfnDevice.VRAM, PageCacheMode.WC);
            assertThat(Kvm.ofFile(fx.kernel.openFile(device, true, true, device))).isNull();
            device.frame.put();
        });
    }
}
