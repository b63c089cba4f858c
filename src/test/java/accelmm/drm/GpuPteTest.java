package accelmm.drm;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Kernel;
import accelmm.mm.MmuIntervalNotifier;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import accelmm.sim.Designs;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a GPU page-table entry that mirrors CPU pages counts as stale. */
class GpuPteTest {

    @Test
    void invalidated_onlyAfterAnInvalidationOfItsRangeCompleted() {
        Simulation sim = new Simulation(new RandomChoiceSource(1));
        Kernel kernel = new Kernel(sim, Designs.defaults());
        Task task = kernel.createProcess("A", 1000);
        List<Boolean> seen = new ArrayList<>();
        GpuPte[] pte = new GpuPte[1];
        sim.spawn("A.main", () -> {
            long p = task.mmap(0, PageFrame.PAGE_SIZE, Prot.READ_WRITE, false, false, -1, 0);
            task.write(p, new byte[] {1}, null);
            MmuIntervalNotifier[] sub = new MmuIntervalNotifier[1];
            sub[0] = task.mm().insertIntervalNotifier(p, PageFrame.PAGE_SIZE, (s, range, cur) -> {
                s.setSeq(cur);
                seen.add(pte[0].invalidated());
                return true;
            }, "mirror");
            long seq = sub[0].readBegin();
            PageFrame frame = task.mm().pageTable().lookup(p).frame();
            pte[0] = new GpuPte(PhysicalMemory.FrameRef.of(frame), true, sub[0], seq);
            seen.add(pte[0].invalidated());
            task.mprotect(p, PageFrame.PAGE_SIZE, Prot.READ);
            seen.add(pte[0].invalidated());
            sub[0].remove();
            task.exit();
        });

        assertThat(sim.run()).isEqualTo(new Outcome.Completed());
        assertThat(seen).containsExactly(false, false, true);
    }

    @Test
    void invalidated_boAndPinnedEntriesNever() {
        PhysicalMemory memory = new PhysicalMemory();
        assertThat(new GpuPte(PhysicalMemory.FrameRef.of(memory.allocPage()), true).invalidated()).isFalse();
    }
}
