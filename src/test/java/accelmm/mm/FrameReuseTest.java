package accelmm.mm;

import static accelmm.mm.MmFixture.frameAt;
import static accelmm.mm.MmFixture.mmapAnon;
import static accelmm.mm.MmFixture.writeByte;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The page allocator's reuse of freed frames and allocation generations
 * ({@link PhysicalMemory}): what makes a stale reference land on someone else's memory.
 */
class FrameReuseTest {

    @Test
    void allocPage_afterFree_returnsSameFrameWithNewGeneration() {
        PhysicalMemory mem = new PhysicalMemory();
        PageFrame first = mem.allocPage();
        long generation = first.generation();
        first.put();
        assertThat(first.isFree()).isTrue();

        PageFrame next = mem.allocPage();

        assertThat(next).isSameAs(first);
        assertThat(next.generation()).isNotEqualTo(generation);
        assertThat(next.isFree()).isFalse();
        assertThat(mem.allocatedCount()).isEqualTo(1);
    }

    @Test
    void allocPage_reusedFrame_readsZeroes() {
        PhysicalMemory mem = new PhysicalMemory();
        PageFrame first = mem.allocPage();
        mem.write(Principal.KERNEL, MemoryAccess.Via.KERNEL, PhysicalMemory.FrameRef.of(first), 0,
                new byte[] {9}, 0, 1, null, "test");
        first.put();

        PageFrame next = mem.allocPage();

        assertThat(mem.read(Principal.KERNEL, MemoryAccess.Via.KERNEL, PhysicalMemory.FrameRef.of(next), 0, 1,
                "test")).containsExactly(0);
    }

    /** {@code frame}, a copy of it ({@code copy_highpage}) and a frame swapped in from a snapshot of it. */
    private static PageFrame[] withCopies(PhysicalMemory mem, PageFrame frame) {
        PageFrame copy = mem.allocPage();
        copy.copyFrom(frame);
        PageFrame swappedIn = mem.allocPage();
        swappedIn.restore(frame.dataSnapshot(), frame.labelsSnapshot());
        return new PageFrame[] {frame, copy, swappedIn};
    }

    /** A whole page of one byte keeps no array; a later partial store, a copy and swap see the byte. */
    @Test
    void write_wholePageOfOneByte_readsBackThroughPartialStoresCopiesAndSwap() {
        PhysicalMemory mem = new PhysicalMemory();
        PageFrame frame = mem.allocPage();
        PhysicalMemory.FrameRef ref = PhysicalMemory.FrameRef.of(frame);
        byte[] page = new byte[PageFrame.PAGE_SIZE];
        java.util.Arrays.fill(page, (byte) 0xAB);

        mem.write(Principal.KERNEL, MemoryAccess.Via.KERNEL, ref, 0, page, 0, page.length, null, "test");
        mem.write(Principal.KERNEL, MemoryAccess.Via.KERNEL, ref, 100, new byte[] {1}, 0, 1, null, "test");
        for (PageFrame f : withCopies(mem, frame)) {
            assertThat(mem.read(Principal.KERNEL, MemoryAccess.Via.KERNEL, PhysicalMemory.FrameRef.of(f), 98, 4,
                    "test")).containsExactly(0xAB, 0xAB, 1, 0xAB);
            assertThat(f.readByte(PageFrame.PAGE_SIZE - 1)).isEqualTo((byte) 0xAB);
        }
        PageFrame filled = mem.allocPage();
        mem.write(Principal.KERNEL, MemoryAccess.Via.KERNEL, PhysicalMemory.FrameRef.of(filled), 0, page, 0,
                page.length, null, "test");
        assertThat(filled.dataSnapshot()).hasSize(PageFrame.PAGE_SIZE).containsOnly((byte) 0xAB);
        filled.put();
        assertThat(mem.allocPage().readByte(7)).as("a new allocation reads zeroes").isZero();
    }

    /** A whole page labelled with one secret keeps the label; stores over part of it relabel just that part. */
    @Test
    void write_wholePageOfOneSecret_keepsItsLabelThroughPartialStoresCopiesAndSwap() {
        PhysicalMemory mem = new PhysicalMemory();
        PageFrame frame = mem.allocPage();
        PhysicalMemory.FrameRef ref = PhysicalMemory.FrameRef.of(frame);
        byte[] page = new byte[PageFrame.PAGE_SIZE];
        int[] secret = new int[PageFrame.PAGE_SIZE];
        java.util.Arrays.fill(secret, 7);

        mem.write(Principal.KERNEL, MemoryAccess.Via.KERNEL, ref, 0, page, 0, page.length, secret, "test");
        mem.write(Principal.KERNEL, MemoryAccess.Via.KERNEL, ref, 100, new byte[] {1}, 0, 1, null, "test");
        mem.write(Principal.KERNEL, MemoryAccess.Via.KERNEL, ref, 200, new byte[] {1}, 0, 1, new int[] {9}, "test");
        for (PageFrame f : withCopies(mem, frame)) {
            assertThat(mem.labels(f, 99, 3)).containsExactly(7, 0, 7);
            assertThat(mem.labels(f, 200, 1)).containsExactly(9);
        }
        mem.write(Principal.KERNEL, MemoryAccess.Via.KERNEL, ref, 0, page, 0, page.length, null, "test");
        assertThat(mem.labels(frame, 0, PageFrame.PAGE_SIZE)).as("overwritten whole, unlabelled").isNull();
        mem.write(Principal.KERNEL, MemoryAccess.Via.KERNEL, ref, 0, page, 0, page.length, secret, "test");
        assertThat(mem.labels(frame, 4000, 2)).containsExactly(7, 7);
        assertThat(frame.labelsSnapshot()).hasSize(PageFrame.PAGE_SIZE).containsOnly(7);
    }

    @Test
    void read_throughFrameRefOfEarlierAllocation_isReportedStale() {
        PhysicalMemory mem = new PhysicalMemory();
        RecordingObserver obs = new RecordingObserver();
        mem.addObserver(obs);
        PageFrame frame = mem.allocPage();
        PhysicalMemory.FrameRef old = PhysicalMemory.FrameRef.of(frame);
        frame.put();
        PageFrame reused = mem.allocPage();
        assertThat(reused).isSameAs(frame);

        mem.read(new Principal("device"), MemoryAccess.Via.DEVICE, old, 0, 1, "stale dma");

        assertThat(obs.last().access().staleReference()).isTrue();
    }

    @Test
    void read_throughCurrentFrameRef_isNotStale() {
        PhysicalMemory mem = new PhysicalMemory();
        RecordingObserver obs = new RecordingObserver();
        mem.addObserver(obs);
        PageFrame frame = mem.allocPage();

        mem.read(new Principal("device"), MemoryAccess.Via.DEVICE, PhysicalMemory.FrameRef.of(frame), 0, 1, "dma");

        assertThat(obs.last().access().staleReference()).isFalse();
    }

    @Test
    void read_throughFrameRefOfFreedFrame_isReportedStale() {
        PhysicalMemory mem = new PhysicalMemory();
        RecordingObserver obs = new RecordingObserver();
        mem.addObserver(obs);
        PageFrame frame = mem.allocPage();
        PhysicalMemory.FrameRef ref = PhysicalMemory.FrameRef.of(frame);
        frame.put();

        mem.read(new Principal("device"), MemoryAccess.Via.DEVICE, ref, 0, 1, "dma after free");

        assertThat(obs.last().access().staleReference()).isTrue();
    }

    @Test
    void munmap_thenNewMapping_reusesFreedFrameForAnotherProcess() {
        MmFixture fx = new MmFixture();
        Task a = fx.process("A");
        Task b = fx.process("B");
        RecordingObserver obs = new RecordingObserver();
        fx.memory().addObserver(obs);
        fx.run(() -> {
            long va = mmapAnon(a, 1);
            writeByte(a, va, 0x11);
            PageFrame frame = frameAt(a, va);
            PhysicalMemory.FrameRef devRef = PhysicalMemory.FrameRef.of(frame);
            assertThat(a.munmap(va, MmFixture.PAGE)).isZero();

            long vb = mmapAnon(b, 1);
            writeByte(b, vb, 0x22);

            assertThat(frameAt(b, vb)).isSameAs(frame);
            assertThat(frame.generation()).isNotEqualTo(devRef.generation());
            byte[] seen = fx.memory().read(new Principal("device"), MemoryAccess.Via.DEVICE, devRef, 0, 1, "dma");
            assertThat(seen[0]).as("a stale device reference reads B's data").isEqualTo((byte) 0x22);
            assertThat(obs.last().access().staleReference()).isTrue();
        });
    }

    @Test
    void put_lastReferenceOfMappedFrame_isRefused() {
        PhysicalMemory mem = new PhysicalMemory();
        PageFrame frame = mem.allocPage();
        frame.addMapping();
        frame.put();

        org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(frame::put);
    }
}
