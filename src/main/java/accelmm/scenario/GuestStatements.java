package accelmm.scenario;

import accelmm.dmabuf.DmaBuf;
import accelmm.dmabuf.DmaBufMapInfo;
import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.PageCacheMode;
import accelmm.mm.Task;
import accelmm.mm.Vma;
import accelmm.sim.Simulation;
import accelmm.virt.Kvm;
import accelmm.virt.KvmConfig;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.ToLongFunction;

/**
 * The guest statements, performed by the {@code virt} layer and traced here with what they
 * resolved: {@code kvm_create} ({@code KVM_CREATE_VM}, its options the VM type and the quirks
 * and features a VMM sets), {@code kvm_map} ({@code KVM_SET_USER_MEMORY_REGION}), {@code
 * guest_map} (the guest kernel's own page tables: no syscall at all) and {@code guest_read} /
 * {@code guest_write} (the guest running: {@code KVM_RUN} until the access is done). The model
 * runs one vCPU per VM and lets the VM's fd stand for it.
 *
 * <p>Each statement after {@code kvm_create} names the VM by its fd, held for the call ({@code
 * fdget}): a descriptor that is not open is EBADF, and any other file refuses KVM's numbers as it
 * refuses every number it does not know — ENOTTY, EINVAL from a uacce queue's file ({@link
 * Devices#vfsIoctl}). {@code guest_map} makes no call; it finds the VM the same way so that a
 * scenario names a guest one way.
 *
 * <p>{@code guest_map} without {@code caching=} takes the type the VMM chooses ({@link
 * GuestCachingDesign}): under {@code from-info} the last {@code dma_buf_info} this process read
 * for the dma-buf behind the first page of {@code gpa} (the memslot's host address, the VMA there,
 * its file — what the VMM knows of its own mappings), given to the whole range; under {@code
 * guess-wb} write-back.
 */
final class GuestStatements {

    private final World world;
    private final Simulation sim;

    GuestStatements(World world) {
        this.world = world;
        this.sim = world.sim;
    }

    /** Whether {@code op} is a guest statement. */
    static boolean handles(Operation op) {
        return switch (op) {
            case KVM_CREATE, KVM_MAP, GUEST_MAP, GUEST_READ, GUEST_WRITE -> true;
            default -> false;
        };
    }

    ThreadInterpreter.Result perform(Statement.Call c, ProcessState self, Evaluator eval) {
        return switch (c.operation()) {
            case KVM_CREATE -> kvmCreate(c, self.task);
            case KVM_MAP -> kvmMap(c, self.task, eval);
            case GUEST_MAP -> guestMap(c, self, eval);
            case GUEST_READ -> guestRead(c, self.task, eval);
            case GUEST_WRITE -> guestWrite(c, self.task, eval);
            default -> throw new IllegalStateException("operation " + c.operation() + " is not a guest statement");
        };
    }

    /**
     * {@code kvm_create [arch=x86|arm64] [guest-pat=honor|ignore] [fwb=yes|no]}: a VM of the
     * calling process. Without options an x86 guest whose PAT is honoured (KVM_X86_QUIRK_IGNORE_GUEST_PAT
     * disabled, as GPU-in-guest setups need: KERNEL-SEMANTICS CA-02); on arm64 no forced
     * write-back (CA-03). The parser refused an option of the other architecture.
     */
    private ThreadInterpreter.Result kvmCreate(Statement.Call c, Task task) {
        KvmConfig.Arch arch = c.findWord("arch").map(a -> KvmConfig.Arch.valueOf(a.toUpperCase(Locale.ROOT)))
                .orElse(KvmConfig.Arch.X86);
        KvmConfig config = new KvmConfig(arch, c.findWord("guest-pat").map("ignore"::equals).orElse(false),
                c.findWord("fwb").map("yes"::equals).orElse(false));
        long ret = Kvm.createVm(world.kernel, task, config);
        return traced(c, ret, ret >= 0 ? "(" + describe(config) + ")" : null);
    }

    private static String describe(KvmConfig config) {
        return config.arch() == KvmConfig.Arch.X86
                ? "x86, guest PAT " + (config.ignoreGuestPat() ? "ignored" : "honoured")
                : "arm64, " + (config.fwb() ? "FWB" : "no FWB");
    }

    /** {@code guest_map G gpa= size= [caching=]}: the type written, else the VMM's choice (see the class comment). */
    private ThreadInterpreter.Result guestMap(Statement.Call c, ProcessState self, Evaluator eval) {
        long gpa = eval.number(c.scalar("gpa"));
        long size = eval.number(c.scalar("size"));
        String[] why = new String[1];
        long ret = onVm(self.task, eval.fd(c.scalar("g")), kvm -> {
            Choice choice = c.findWord("caching").map(w -> new Choice(PageCacheMode.valueOf(w.toUpperCase(Locale.ROOT)), null))
                    .orElseGet(() -> chosenByVmm(self, kvm, gpa));
            why[0] = choice.why() == null ? null : "(" + choice.mode().word() + ": " + choice.why() + ")";
            return kvm.guestMap(self.task, gpa, size, choice.mode());
        });
        return traced(c, ret, Errno.isError(ret) ? null : why[0]);
    }

    /** A type the VMM chose, and why (null when the scenario wrote it). */
    private record Choice(PageCacheMode mode, String why) {
    }

    /**
     * The type the VMM gives the guest's mapping at {@code gpa} ({@link GuestCachingDesign}).
     * {@code from-info} maps {@code cached} and {@code incoherent} as wb (the proposal has no
     * uncached value: an incoherent buffer is mapped cached and bracketed with {@code
     * DMA_BUF_IOCTL_SYNC}, which a guest cannot issue) and {@code wc} as wc; a buffer it never
     * asked about, or memory that is no dma-buf, as wb.
     */
    private Choice chosenByVmm(ProcessState self, Kvm kvm, long gpa) {
        if (world.kernel.designs().get(GuestCachingDesign.class) == GuestCachingDesign.GUESS_WB) {
            return new Choice(PageCacheMode.WB, "guess-wb");
        }
        OptionalLong hva = kvm.hvaOf(gpa);
        if (hva.isEmpty()) {
            return new Choice(PageCacheMode.WB, "from-info, no memslot");
        }
        DmaBuf buf = dmaBufAt(self.task, hva.getAsLong());
        if (buf == null) {
            return new Choice(PageCacheMode.WB, "from-info, no dma-buf at the memslot's address");
        }
        DmaBufMapInfo info = self.mapInfoRead(buf);
        if (info == null) {
            return new Choice(PageCacheMode.WB, "from-info, dma_buf_info never read for " + buf);
        }
        PageCacheMode mode = info == DmaBufMapInfo.COHERENT_WC ? PageCacheMode.WC : PageCacheMode.WB;
        return new Choice(mode, "from-info, " + buf + " read as " + info.word());
    }

    /** The dma-buf the VMM mapped at {@code hva}, if any: the file of the VMA there. */
    private static DmaBuf dmaBufAt(Task task, long hva) {
        if (task.mm() == null) {
            return null;
        }
        Vma vma = task.mm().findVma(hva);
        File file = vma == null ? null : vma.file();
        return file == null ? null : DmaBuf.ofFile(file);
    }

    /** {@code kvm_map G gpa= addr= size=}: {@code KVM_SET_USER_MEMORY_REGION}, a new slot. */
    private ThreadInterpreter.Result kvmMap(Statement.Call c, Task task, Evaluator eval) {
        long gpa = eval.number(c.scalar("gpa"));
        long addr = eval.number(c.scalar("addr"));
        long size = eval.number(c.scalar("size"));
        return traced(c, onVm(task, eval.fd(c.scalar("g")), kvm -> kvm.setUserMemoryRegion(task, gpa, addr, size)),
                null);
    }

    private ThreadInterpreter.Result guestWrite(Statement.Call c, Task task, Evaluator eval) {
        Evaluator.DataBytes data = eval.data(c.data("data"));
        long gpa = eval.number(c.scalar("gpa"));
        Kvm[] vm = new Kvm[1];
        long ret = onVm(task, eval.fd(c.scalar("g")), kvm -> {
            vm[0] = kvm;
            return kvm.guestWrite(task, gpa, data.bytes(), data.labels());
        });
        traced(c, ret, vm[0], gpa);
        return ThreadInterpreter.Result.of(ret);
    }

    private ThreadInterpreter.Result guestRead(Statement.Call c, Task task, Evaluator eval) {
        long gpa = eval.number(c.scalar("gpa"));
        byte[] out = new byte[Math.toIntExact(eval.number(c.scalar("size")))];
        Kvm[] vm = new Kvm[1];
        long ret = onVm(task, eval.fd(c.scalar("g")), kvm -> {
            vm[0] = kvm;
            return kvm.guestRead(task, gpa, out);
        });
        traced(c, ret, vm[0], gpa);
        return ret >= 0 ? new ThreadInterpreter.Result(ret, new Bound.Bytes(out)) : ThreadInterpreter.Result.of(ret);
    }

    /**
     * Traces a guest access with the effective type it was made with; the type is described only
     * when tracing, since guest accesses run in every explored execution.
     */
    private void traced(Statement.Call c, long ret, Kvm kvm, long gpa) {
        if (!sim.tracing()) {
            return;
        }
        String type = Errno.isError(ret) || kvm == null ? null : kvm.describeType(gpa);
        traced(c, ret, type == null ? null : "as " + type);
    }

    /** {@code op} on the VM behind {@code fd} (see the class comment). */
    private static long onVm(Task task, int fd, ToLongFunction<Kvm> op) {
        return Devices.vfsIoctl(task, fd, Kvm::ofFile, op);
    }

    /**
     * Traces the statement as written with its result and, if not null, {@code detail}: {@code
     * guest_read g gpa=0x100000 size=8 -> 8 bytes as wc (stage 1 wc, EPT wb, guest PAT honoured)}.
     */
    private ThreadInterpreter.Result traced(Statement.Call c, long ret, String detail) {
        if (sim.tracing()) {
            String result = Errno.isError(ret) ? Errno.describe(ret)
                    : c.operation() == Operation.GUEST_READ || c.operation() == Operation.GUEST_WRITE ? ret + " bytes"
                    : c.binding().isPresent() ? Long.toString(ret) : "ok";
            sim.traceOperation(ThreadInterpreter.traceText(c), detail == null ? result : result + " " + detail);
        }
        return ThreadInterpreter.Result.of(ret);
    }
}
