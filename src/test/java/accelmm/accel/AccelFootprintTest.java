package accelmm.accel;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Kernel;
import accelmm.mm.PageFrame;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import accelmm.sim.Footprint;
import accelmm.sim.PhaseFootprints;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Observed footprints of the accelerator drivers' state. habanalabs: allocations on two devices
 * commute (each {@code hl_device} has its own {@code phys_pg_pack_handles} and DRAM), a free and
 * an export of one handle conflict (HL-04: {@code export_cnt} decides the free). uacce: two
 * queues' ioctls commute (each {@code uacce_queue} its own state), two of one queue conflict.
 */
class AccelFootprintTest {

    private static final int PAGE = PageFrame.PAGE_SIZE;
    private static final Set<String> HL = Set.of("hl device", "hl fpriv", "hl ctx", "hl vm hash node",
            "hl phys pg pack", "hl dmabuf");
    private static final Set<String> UACCE = Set.of("uacce device", "uacce queue", "uacce region", "uacce dma map",
            "iommu sva", "sva domain");

    private static HlFpriv fpriv(Task task, int fd) {
        return (HlFpriv) task.files().lookup(fd).privateData();
    }

    private static UacceQueue queue(Task task, int fd) {
        return (UacceQueue) task.files().lookup(fd).privateData();
    }

    @Test
    void memAlloc_onTwoDevices_commute() {
        PhaseFootprints rec = PhaseFootprints.simulation();
        Kernel kernel = new Kernel(rec.sim(), Designs.of());
        for (String name : new String[] {"0", "1"}) {
            HlDevice acc = new HlDevice(kernel, "acc" + name, 1L << 20, true);
            Task task = kernel.createProcess("P" + name, 1000);
            rec.spawn("P" + name, () -> {
                HlFpriv f = fpriv(task, acc.open(task, false));
                rec.phase("mem_alloc acc" + name, () -> assertThat(f.memAlloc(PAGE)).isPositive());
            });
        }

        rec.run();

        Footprint first = rec.of("mem_alloc acc0", HL);
        assertThat(first.accesses()).as("the allocation writes its device's pack table").isNotEmpty();
        assertThat(first.conflictsWith(rec.of("mem_alloc acc1", HL))).isFalse();
    }

    /** HL-04: a free reads the export count an export raised. */
    @Test
    void memExport_andMemFreeOfTheSameHandle_conflict() {
        PhaseFootprints rec = PhaseFootprints.simulation();
        Kernel kernel = new Kernel(rec.sim(), Designs.of());
        HlDevice acc = new HlDevice(kernel, "acc0", 1L << 20, true);
        Task task = kernel.createProcess("P", 1000);
        rec.spawn("P", () -> {
            HlFpriv f = fpriv(task, acc.open(task, false));
            long handle = f.memAlloc(PAGE);
            rec.phase("mem_export", () -> assertThat(f.memExport(task, handle, true)).isNotNegative());
            rec.phase("mem_free", () -> assertThat(f.memFree(handle)).isNegative());
        });

        rec.run();

        assertThat(rec.of("mem_export", HL).conflictsWith(rec.of("mem_free", HL))).isTrue();
    }

    @Test
    void startQ_ofTwoQueues_commute() {
        PhaseFootprints rec = PhaseFootprints.simulation();
        Kernel kernel = new Kernel(rec.sim(), Designs.of());
        UacceDevice acc = new UacceDevice(kernel, "acc0", 2, new IommuSva(rec.sim()));
        for (String name : new String[] {"A", "B"}) {
            Task task = kernel.createProcess(name, 1000);
            rec.spawn(name, () -> {
                UacceQueue q = queue(task, acc.open(task, false));
                rec.phase("start_q " + name, () -> assertThat(q.startQ()).isZero());
            });
        }

        rec.run();

        Footprint a = rec.of("start_q A", UACCE);
        assertThat(a.accesses()).as("start_q writes its queue's state").isNotEmpty();
        assertThat(a.conflictsWith(rec.of("start_q B", UACCE))).isFalse();
    }

    /** UA-03: put_q stops what start_q started. */
    @Test
    void startQ_andPutQOfOneQueue_conflict() {
        PhaseFootprints rec = PhaseFootprints.simulation();
        Kernel kernel = new Kernel(rec.sim(), Designs.of());
        UacceDevice acc = new UacceDevice(kernel, "acc0", 2, new IommuSva(rec.sim()));
        Task task = kernel.createProcess("A", 1000);
        rec.spawn("A", () -> {
            UacceQueue q = queue(task, acc.open(task, false));
            rec.phase("start_q", () -> assertThat(q.startQ()).isZero());
            rec.phase("put_q", () -> assertThat(q.putQ()).isZero());
        });

        rec.run();

        assertThat(rec.of("start_q", UACCE).conflictsWith(rec.of("put_q", UACCE))).isTrue();
    }
}
