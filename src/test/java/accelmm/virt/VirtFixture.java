package accelmm.virt;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.AccessInvariant;
import accelmm.check.IncoherentAccess;
import accelmm.check.InvariantKind;
import accelmm.check.StaleAccess;
import accelmm.check.UseAfterFree;
import accelmm.mm.Kernel;
import accelmm.mm.MemoryAccess;
import accelmm.mm.PageCacheMode;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Principal;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import accelmm.sim.ChoiceSource;
import accelmm.sim.Designs;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated machine for a KVM test: a kernel under one {@link KvmDesign}, a VMM process
 * {@code A} with a VM, and a record of every guest access with the first access invariant it
 * breaks (in the order {@code AccessChecks} judges them: use-after-free, stale-access,
 * incoherent-access). Model code blocks (locks), so test bodies run as actors.
 */
final class VirtFixture {

    static final int PAGE = PageFrame.PAGE_SIZE;
    static final long GPA = 0x100000;

    /** A guest access and the first invariant it breaks, or null. */
    record GuestAccess(MemoryAccess access, InvariantKind broken) {
    }

    private static final List<AccessInvariant> CHECKS =
            List.of(new UseAfterFree(), new StaleAccess(), new IncoherentAccess());

    final Simulation sim;
    final Kernel kernel;
    final Task vmm;
    final List<GuestAccess> guestAccesses = new ArrayList<>();

    VirtFixture(KvmDesign design) {
        this(design, new RandomChoiceSource(1));
    }

    VirtFixture(KvmDesign design, ChoiceSource choices) {
        this(design, new Simulation(choices, true, 200_000));
    }

    /** A machine in {@code sim}, for a test that drives the simulation itself. */
    VirtFixture(KvmDesign design, Simulation sim) {
        this.sim = sim;
        kernel = new Kernel(sim, Designs.of(design));
        vmm = kernel.createProcess("A", 1000);
        kernel.physicalMemory().addObserver((access, labels) -> {
            if (access.via() == MemoryAccess.Via.GUEST) {
                guestAccesses.add(new GuestAccess(access, firstBroken(access, labels)));
            }
        });
    }

    private static InvariantKind firstBroken(MemoryAccess access, int[] labels) {
        for (AccessInvariant check : CHECKS) {
            if (check.check(access, labels) != null) {
                return check.kind();
            }
        }
        return null;
    }

    /** Runs {@code body} as the one actor; rethrows what made it fail. */
    void run(Runnable body) {
        sim.spawn("test", body);
        finish();
    }

    /** Runs every spawned actor; rethrows what made one fail; lock orders must stay acyclic. */
    void finish() {
        Outcome outcome = sim.run();
        if (outcome instanceof Outcome.Failed failed) {
            if (failed.cause() instanceof Error e) {
                throw e;
            }
            if (failed.cause() instanceof RuntimeException e) {
                throw e;
            }
            throw new AssertionError("actor " + failed.actor() + " failed", failed.cause());
        }
        assertThat(outcome).isEqualTo(new Outcome.Completed());
        assertThat(sim.lockDep().violations()).as("lock order cycles").isEmpty();
    }

    /** A VM of the VMM with {@code config}; the fd stays in the VMM's table. */
    Kvm createVm(KvmConfig config) {
        return createVm(config, Kvm.Variant.FAITHFUL);
    }

    Kvm createVm(KvmConfig config, Kvm.Variant variant) {
        long fd = Kvm.createVm(kernel, vmm, config, variant);
        assertThat(fd).as("KVM_CREATE_VM").isNotNegative();
        Kvm kvm = Kvm.ofFile(vmm.files().lookup((int) fd));
        assertThat(kvm).isNotNull();
        return kvm;
    }

    /** A VM whose guest page {@link #GPA} onwards maps the VMM's {@code hva} with {@code guestType}. */
    Kvm vmOver(KvmConfig config, long hva, int pages, PageCacheMode guestType) {
        return vmOver(config, Kvm.Variant.FAITHFUL, hva, pages, guestType);
    }

    Kvm vmOver(KvmConfig config, Kvm.Variant variant, long hva, int pages, PageCacheMode guestType) {
        Kvm kvm = createVm(config, variant);
        assertThat(kvm.setUserMemoryRegion(vmm, GPA, hva, (long) pages * PAGE)).isZero();
        assertThat(kvm.guestMap(vmm, GPA, (long) pages * PAGE, guestType)).isZero();
        return kvm;
    }

    long mmapAnon(int pages) {
        long addr = vmm.mmap(0, (long) pages * PAGE, Prot.READ_WRITE, false, false, -1, 0);
        assertThat(addr).as("mmap").isPositive();
        return addr;
    }

    /** Maps {@code device} shared into the VMM with {@code prot}. */
    long mmapDevice(TestPfnDevice device, int pages, Prot prot) {
        int fd = vmm.installFile(kernel.openFile(device, true, true, device), false);
        assertThat(fd).isNotNegative();
        long addr = vmm.mmap(0, (long) pages * PAGE, prot, true, false, fd, 0);
        assertThat(addr).as("mmap of the device").isPositive();
        return addr;
    }

    void hostWrite(long addr, String text) {
        assertThat(vmm.write(addr, bytes(text), null)).as("VMM store").isZero();
    }

    String hostRead(long addr, int length) {
        byte[] out = new byte[length];
        assertThat(vmm.read(addr, out)).as("VMM load").isZero();
        return text(out);
    }

    String guestRead(Kvm kvm, long gpa, int length) {
        byte[] out = new byte[length];
        assertThat(kvm.guestRead(vmm, gpa, out)).as("guest load").isEqualTo(length);
        return text(out);
    }

    /** The first {@code length} bytes of {@code frame}, as the kernel reads them. */
    String frameText(PageFrame frame, int length) {
        return text(kernel.physicalMemory().read(new Principal("kernel"), MemoryAccess.Via.KERNEL,
                PhysicalMemory.FrameRef.of(frame), 0, length, "test"));
    }

    GuestAccess lastGuestAccess() {
        assertThat(guestAccesses).as("guest accesses").isNotEmpty();
        return guestAccesses.get(guestAccesses.size() - 1);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
