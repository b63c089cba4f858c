package accelmm.mm;

import static accelmm.mm.MmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * CPU loads and stores through {@link Uaccess} where a fault fails: the fault runs once and the
 * access ends there with -EFAULT, the pages before it done. In Linux a fault that returns
 * VM_FAULT_SIGBUS is not retried (arch/x86/mm/fault.c: {@code do_user_addr_fault} hands it to
 * {@code mm_fault_error}, whose kernel-mode fixup makes {@code copy_to_user} return the bytes
 * left), and {@code fault_in_safe_writeable} (mm/gup.c) stops at the first page it cannot fault
 * in.
 */
class UaccessTest {

    /** A write of this many pages takes steps per 2M span; one of 16 pages, a step per page. */
    private static final int LARGE_PAGES = 128;
    private static final int SMALL_PAGES = 16;

    @Test
    void store_largeAccessWhoseFaultFails_faultsThatPageOnceAndIsEfault() {
        assertThat(BulkAccess.bySpan((long) LARGE_PAGES * PAGE)).isTrue();

        assertFailingFaultRunsOnce(LARGE_PAGES, 100);
    }

    @Test
    void store_smallAccessWhoseFaultFails_faultsThatPageOnceAndIsEfault() {
        assertThat(BulkAccess.bySpan((long) SMALL_PAGES * PAGE)).isFalse();

        assertFailingFaultRunsOnce(SMALL_PAGES, 10);
    }

    /**
     * Writes {@code pages} pages over a device mapping whose pages from {@code backed} on have
     * nothing behind them: the write is -EFAULT, each page up to the failing one faulted once and
     * the pages after it never.
     */
    private static void assertFailingFaultRunsOnce(int pages, int backed) {
        MmFixture fx = new MmFixture();
        fx.run(() -> {
            Task task = fx.process("A");
            ShortDevice device = new ShortDevice(fx.kernel, backed);
            long addr = MmFixture.mmapFile(task, fx.openDevice(task, device), pages, true, 0);
            byte[] data = new byte[pages * PAGE];
            Arrays.fill(data, (byte) 0x5a);

            assertThat(task.write(addr, data, null)).isEqualTo(Errno.EFAULT.neg());

            assertThat(device.faults).as("faults per page offset").hasSize(backed + 1)
                    .allSatisfy((pgoff, count) -> assertThat(count).as("faults of page %d", pgoff).isOne());
        });
    }

    /**
     * A PFN-mapped device with memory behind its first {@code backed} pages only: a fault past
     * them is SIGBUS, as {@code ttm_bo_vm_fault} answers for an offset past its object. Counts
     * the faults of each page offset.
     */
    private static final class ShortDevice extends TestFiles.PfnDevice {
        final int backed;
        final Map<Long, Integer> faults = new TreeMap<>();

        ShortDevice(Kernel kernel, int backed) {
            super(kernel);
            this.backed = backed;
        }

        @Override
        public VmFaultResult fault(VmFault fault) {
            faults.merge(fault.pgoff(), 1, Integer::sum);
            return fault.pgoff() < backed ? super.fault(fault) : VmFaultResult.SIGBUS;
        }
    }
}
