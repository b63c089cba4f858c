package accelmm.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.drm.VmSnapshot;
import accelmm.mm.MemoryAccess;
import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Principal;
import accelmm.mm.Through;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-access invariants: use-after-free, incoherent-access and secret-leak. */
class AccessChecksTest {

    private final Simulation sim = new Simulation(new RandomChoiceSource(1));
    private final PhysicalMemory memory = new PhysicalMemory();
    private final Secrets secrets = new Secrets();

    {
        memory.addObserver(new AccessChecks(sim, secrets));
    }

    @Test
    void read_throughReferenceToFreedFrame_isUseAfterFree() {
        PageFrame frame = memory.allocPage();
        PhysicalMemory.FrameRef ref = PhysicalMemory.FrameRef.of(frame);
        frame.put();

        assertThatThrownBy(() -> memory.read(new Principal("A"), MemoryAccess.Via.DEVICE, ref, 0, 4, "gpu va 0x1000"))
                .isInstanceOfSatisfying(InvariantBroken.class, b -> {
                    assertThat(b.violation().invariant()).isEqualTo(InvariantKind.USE_AFTER_FREE);
                    assertThat(b.violation().message()).contains("gpu va 0x1000").contains("is free");
                });
    }

    /** The details give what the sentence says as fields: a reference one allocation older than the frame. */
    @Test
    void read_throughReferenceToReusedFrame_isUseAfterFree_withTheGenerationsAsDetails() {
        PageFrame frame = memory.allocPage();
        PhysicalMemory.FrameRef stale = PhysicalMemory.FrameRef.of(frame);
        frame.put();
        assertThat(memory.allocPage()).isSameAs(frame);

        assertThatThrownBy(() -> memory.read(new Principal("A"), MemoryAccess.Via.DEVICE, stale, 8, 4, "dma"))
                .isInstanceOfSatisfying(InvariantBroken.class, b -> {
                    assertThat(b.violation().message()).contains("freed and reused");
                    Map<String, Object> d = b.violation().details();
                    assertThat(d.keySet()).startsWith("agent", "access", "principal", "mapping", "pfn");
                    assertThat(d).containsEntry("agent", "device").containsEntry("access", "read")
                            .containsEntry("principal", "A").containsEntry("mapping", "dma")
                            .containsEntry("pfn", frame.pfn()).containsEntry("offset", 8L).containsEntry("length", 4L)
                            .containsEntry("referenceGeneration", frame.generation() - 1)
                            .containsEntry("frameGeneration", frame.generation()).containsEntry("frameFree", false)
                            .doesNotContainKey("cacheMode");
                });
    }

    @Test
    void read_ofSecretByOutsider_isSecretLeak() {
        PageFrame frame = memory.allocPage();
        int label = secrets.register("key", new Principal("A"), List.of());
        byte[] data = Secrets.bytes("key", 64);
        memory.write(new Principal("A"), MemoryAccess.Via.CPU, PhysicalMemory.FrameRef.of(frame), 0, data, 0, 64,
                Secrets.labels(label, 64), "cpu");

        assertThatThrownBy(() -> memory.read(new Principal("B"), MemoryAccess.Via.CPU,
                PhysicalMemory.FrameRef.of(frame), 10, 4, "cpu va 0x10"))
                .isInstanceOfSatisfying(InvariantBroken.class, b -> {
                    assertThat(b.violation().invariant()).isEqualTo(InvariantKind.SECRET_LEAK);
                    assertThat(b.violation().message()).contains("\"key\"");
                });
    }

    @Test
    void read_ofSecretByWriterOrAllowedOrKernel_isFine() {
        PageFrame frame = memory.allocPage();
        int label = secrets.register("key", new Principal("A"), List.of("C"));
        memory.write(new Principal("A"), MemoryAccess.Via.CPU, PhysicalMemory.FrameRef.of(frame), 0,
                Secrets.bytes("key", 64), 0, 64, Secrets.labels(label, 64), "cpu");

        for (String reader : List.of("A", "C", "kernel")) {
            memory.read(new Principal(reader), MemoryAccess.Via.CPU, PhysicalMemory.FrameRef.of(frame), 0, 64, "cpu");
        }
    }

    /**
     * CA-01's alias: the owner maps the frame write-combined, another mapping reaches it with a
     * cached (WB) type. The report names the accessing mapping and its type, and the frame's own
     * type with its owner.
     */
    @Test
    void incoherentAccess_cachedAccessToWcFrame_reportsBothMappings() {
        PageFrame frame = memory.allocPage();
        frame.setCacheMode(PageCacheMode.WC, "gem 1");

        assertThatThrownBy(() -> memory.read(new Principal("A"), MemoryAccess.Via.GUEST,
                PhysicalMemory.FrameRef.of(frame), 0, new byte[8], 0, 8, new Through("guest gpa", 0x100000), false,
                PageCacheMode.WB, false))
                .isInstanceOfSatisfying(InvariantBroken.class, b -> {
                    assertThat(b.violation().invariant()).isEqualTo(InvariantKind.INCOHERENT_ACCESS);
                    assertThat(b.violation().message()).contains("guest gpa 0x100000").contains("type wb")
                            .contains("own type is wc (gem 1)");
                    assertThat(b.violation().details()).containsEntry("agent", "guest")
                            .containsEntry("mapping", "guest gpa 0x100000").containsEntry("cacheMode", "wb");
                });
    }

    /** The reverse alias: an uncached store to memory its owner caches. */
    @Test
    void incoherentAccess_ucStoreToWbFrame_breaks() {
        PageFrame frame = memory.allocPage();

        assertThatThrownBy(() -> memory.write(new Principal("A"), MemoryAccess.Via.CPU,
                PhysicalMemory.FrameRef.of(frame), 0, new byte[8], 0, 8, null, new Through("cpu va", 0x1000), false,
                PageCacheMode.UC, false))
                .isInstanceOfSatisfying(InvariantBroken.class, b -> assertThat(b.violation().invariant())
                        .isEqualTo(InvariantKind.INCOHERENT_ACCESS));
    }

    /** WC and UC both bypass the caches: they never disagree about what memory holds. */
    @Test
    void incoherentAccess_wcAccessToUcFrame_holds() {
        PageFrame frame = memory.allocPage();
        frame.setCacheMode(PageCacheMode.UC, "gem 1");

        memory.write(new Principal("A"), MemoryAccess.Via.CPU, PhysicalMemory.FrameRef.of(frame), 0, new byte[8], 0,
                8, null, new Through("cpu va", 0x1000), false, PageCacheMode.WC, false);
    }

    /**
     * Self-snoop: an uncached access by an agent that snoops the CPU caches on uncached accesses
     * (an x86 guest whose PAT KVM honours) reaches what the cached side holds.
     */
    @Test
    void incoherentAccess_snoopingWcLoadOfWbFrame_holds() {
        PageFrame frame = memory.allocPage();

        memory.read(new Principal("A"), MemoryAccess.Via.GUEST, PhysicalMemory.FrameRef.of(frame), 0, new byte[8], 0,
                8, new Through("guest gpa", 0x100000), false, PageCacheMode.WC, true);
    }

    /** Snooping does not help a cached access to memory the owner keeps uncached. */
    @Test
    void incoherentAccess_snoopingWbLoadOfWcFrame_breaks() {
        PageFrame frame = memory.allocPage();
        frame.setCacheMode(PageCacheMode.WC, "gem 1");

        assertThatThrownBy(() -> memory.read(new Principal("A"), MemoryAccess.Via.GUEST,
                PhysicalMemory.FrameRef.of(frame), 0, new byte[8], 0, 8, new Through("guest gpa", 0x100000), false,
                PageCacheMode.WB, true))
                .isInstanceOfSatisfying(InvariantBroken.class, b -> assertThat(b.violation().invariant())
                        .isEqualTo(InvariantKind.INCOHERENT_ACCESS));
    }

    /** An access of no stated type (a kernel copy, snooping DMA) agrees with any frame. */
    @Test
    void incoherentAccess_unsetMode_holds() {
        PageFrame frame = memory.allocPage();
        frame.setCacheMode(PageCacheMode.WC, "gem 1");

        memory.read(new Principal("kernel"), MemoryAccess.Via.KERNEL, PhysicalMemory.FrameRef.of(frame), 0, 8,
                "evict gem 1");
    }

    /** A cached access through a reference to a freed WC frame is a use-after-free first. */
    @Test
    void incoherentAccess_throughFreedFrame_isUseAfterFreeFirst() {
        PageFrame frame = memory.allocPage();
        frame.setCacheMode(PageCacheMode.WC, "gem 1");
        PhysicalMemory.FrameRef ref = PhysicalMemory.FrameRef.of(frame);
        frame.put();
        PageFrame reused = memory.allocPage();
        reused.setCacheMode(PageCacheMode.WC, "gem 2");

        assertThatThrownBy(() -> memory.read(new Principal("A"), MemoryAccess.Via.CPU, ref, 0, new byte[8], 0, 8,
                new Through("cpu va", 0x1000), false, PageCacheMode.WB, false))
                .isInstanceOfSatisfying(InvariantBroken.class, b -> assertThat(b.violation().invariant())
                        .isEqualTo(InvariantKind.USE_AFTER_FREE));
    }

    /**
     * DCD-07: under include-userptr the dump worker copies the owner's page, secret and all, on
     * behalf of root, whom no secret allows ({@code allow} names processes). Both invariants see
     * the load; coredump-userptr is checked first and is the one reported.
     */
    @Test
    void dcd07_coredumpUserptrReadOfTheOwnersSecret_isSecretLeakToo_butCoredumpUserptrIsReported() {
        PageFrame frame = memory.allocPage();
        int label = secrets.register("key", new Principal("A"), List.of());
        memory.write(new Principal("A"), MemoryAccess.Via.CPU, PhysicalMemory.FrameRef.of(frame), 0,
                Secrets.bytes("key", 64), 0, 64, Secrets.labels(label, 64), "cpu");
        Principal root = new Principal("root");
        Through userptr = new Through(VmSnapshot.USERPTR_THROUGH, 0x7000);
        MemoryAccess load = new MemoryAccess(root, MemoryAccess.Via.COREDUMP, frame, frame.generation(), 0, 64, false, userptr,
                false, null, false);

        assertThat(new SecretLeak(secrets).check(load, memory.labels(frame, 0, 64)))
                .contains("read by root").contains("\"key\"");
        assertThatThrownBy(() -> memory.read(root, MemoryAccess.Via.COREDUMP, PhysicalMemory.FrameRef.of(frame), 0,
                new byte[64], 0, 64, userptr, false))
                .isInstanceOfSatisfying(InvariantBroken.class,
                        b -> assertThat(b.violation().invariant()).isEqualTo(InvariantKind.COREDUMP_USERPTR));
    }

    @Test
    void read_ofBytesOverwrittenWithPlainData_isFine() {
        PageFrame frame = memory.allocPage();
        int label = secrets.register("key", new Principal("A"), List.of());
        memory.write(new Principal("A"), MemoryAccess.Via.CPU, PhysicalMemory.FrameRef.of(frame), 0,
                Secrets.bytes("key", 64), 0, 64, Secrets.labels(label, 64), "cpu");
        memory.write(new Principal("A"), MemoryAccess.Via.CPU, PhysicalMemory.FrameRef.of(frame), 0,
                new byte[64], 0, 64, null, "cpu");

        memory.read(new Principal("B"), MemoryAccess.Via.CPU, PhysicalMemory.FrameRef.of(frame), 0, 64, "cpu");
    }

    @Test
    void access_throughInvalidatedMappingToLiveFrame_isStaleAccess() {
        PageFrame frame = memory.allocPage();

        assertThatThrownBy(() -> memory.read(new Principal("A"), MemoryAccess.Via.DEVICE,
                PhysicalMemory.FrameRef.of(frame), 0, new byte[4], 0, 4, "gpu va 0x100000", true))
                .isInstanceOfSatisfying(InvariantBroken.class, b -> {
                    assertThat(b.violation().invariant()).isEqualTo(InvariantKind.STALE_ACCESS);
                    assertThat(b.violation().message()).contains("gpu va 0x100000").contains("invalidation");
                });
    }

    @Test
    void access_throughInvalidatedMappingToFreedFrame_isUseAfterFreeFirst() {
        PageFrame frame = memory.allocPage();
        PhysicalMemory.FrameRef ref = PhysicalMemory.FrameRef.of(frame);
        frame.put();

        assertThatThrownBy(() -> memory.read(new Principal("A"), MemoryAccess.Via.DEVICE, ref, 0, new byte[4], 0, 4,
                "gpu va 0x100000", true))
                .isInstanceOfSatisfying(InvariantBroken.class,
                        b -> assertThat(b.violation().invariant()).isEqualTo(InvariantKind.USE_AFTER_FREE));
    }
}
