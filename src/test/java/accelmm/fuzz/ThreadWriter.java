package accelmm.fuzz;

import static accelmm.fuzz.GeneratedValues.boundSize;
import static accelmm.fuzz.GeneratedValues.gpuVa;
import static accelmm.fuzz.GeneratedValues.queueSize;
import static accelmm.fuzz.GeneratedValues.size;
import static accelmm.fuzz.ThreadNames.pick;

import accelmm.fuzz.Binding.Kind;
import accelmm.fuzz.ScenarioPlan.StatementGene;
import accelmm.fuzz.ScenarioPlan.ThreadGene;
import accelmm.fuzz.ScenarioWriter.Proc;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes the statements of one thread block from its genes: each gene picks one of the
 * operations that the names the thread can use allow ({@link ThreadNames}), weighted so that the
 * statements that build state and race come often, then its arguments among those names and
 * the values of {@link GeneratedValues}; now and then an fd or ID is written as a number, or as
 * a name bound to an address or an mmap offset ({@link ThreadNames#fd}, {@link ThreadNames#id}).
 * Every call allows any outcome ({@code => ok|error}).
 */
final class ThreadWriter {

    /** A written block: its {@code after} event, if any, and its statements. */
    record Written(Optional<String> after, List<String> lines) {
    }

    /** The operations a gene may pick; kernel activity last. */
    enum Op {
        OPEN, MMAP, WRITE, READ, MUNMAP, MPROTECT, MADVISE, CLOSE, VM_CREATE, GEM_CREATE, VM_BIND_MAP,
        VM_BIND_USERPTR, VM_BIND_UNMAP, EXEC_QUEUE_CREATE, EXEC_COPY, EXEC_FILL, WAIT, EXPECT, EXPECT_READ,
        GEM_MMAP_OFFSET,
        MMAP_OFFSET, GEM_CLOSE, VM_DESTROY, PRIME_EXPORT, PRIME_IMPORT, MMAP_DMABUF, DMA_BUF_SYNC, DMA_BUF_INFO,
        KVM_CREATE, KVM_MAP, GUEST_MAP, GUEST_READ, GUEST_WRITE, REG_MR,
        REG_MR_DMABUF, RDMA_READ, RDMA_WRITE, MEM_ALLOC, MEM_FREE, MEM_EXPORT, START_Q, PUT_Q, DMA_MAP, MMAP_REGION, SUBMIT, SEND, RECV, FORK, EXEC, EXIT, SIGNAL,
        AWAIT, DEBUG_ATTACH, MIGRATE, RECLAIM, EVICT, DEVCOREDUMP, DEVCOREDUMP_READ, DEVCOREDUMP_DELETE;

        boolean kernelOnly() {
            // devcoredump_read and _delete run in any thread; generated in kernel threads only, beside the dumps
            return this == MIGRATE || this == RECLAIM || this == EVICT || this == DEVCOREDUMP
                    || this == DEVCOREDUMP_READ || this == DEVCOREDUMP_DELETE;
        }

        /** Allowed in a kernel thread too. */
        boolean anywhere() {
            return this == WAIT || this == EXPECT || this == SIGNAL || this == AWAIT;
        }
    }

    private static final String ANY = " => ok|error";
    private static final String[] PROTS = {"r", "rw", "none"};
    private static final String[] ADVICE = {"dontneed", "dontfork", "dofork", "wipeonfork", "keeponfork"};
    private static final String[] PLACEMENTS = {"", " placement=system", " placement=vram",
        " placement=vram,system", " placement=vram"};
    private static final String[] CACHING = {"", "", "", " caching=wc", " caching=uc"};
    private static final String[] EVENTS = {"e0", "e1", "e2"};
    /** {@code kvm_create}'s host options, the default most often. */
    private static final String[] KVM_OPTIONS = {"", "", " arch=arm64", " guest-pat=ignore", " arch=arm64 fwb=yes",
        " arch=x86 guest-pat=honor", " arch=arm64 fwb=no"};
    private static final String[] GUEST_CACHING = {"", "", " caching=wb", " caching=wc", " caching=uc"};

    private final ScenarioWriter scenario;
    /** The thread's process, or null in a kernel thread. */
    private final Proc self;
    private final ThreadNames names;
    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    ThreadWriter(ScenarioWriter scenario, Proc self) {
        this.scenario = scenario;
        this.self = self;
        this.names = new ThreadNames(scenario, self);
    }

    Written write(ThreadGene gene) {
        Optional<String> after = start(gene.start());
        for (StatementGene g : gene.statements()) {
            if (ended) {
                break;
            }
            statement(g);
        }
        forkIfDue();
        if (self != null) {
            self.bound.addAll(names.local);
        }
        return new Written(after, lines);
    }

    /** One time in four, the thread starts after an event that can come. */
    private Optional<String> start(int choice) {
        List<String> events = names.awaitable();
        return choice % 4 != 3 || events.isEmpty() ? Optional.empty()
                : Optional.of(events.get(choice / 4 % events.size()));
    }

    private void statement(StatementGene g) {
        List<Op> open = Arrays.stream(Op.values()).filter(this::feasible).toList();
        int x = g.operation() % open.stream().mapToInt(this::weight).sum();
        for (Op op : open) {
            if (x < weight(op)) {
                write(op, g);
                return;
            }
            x -= weight(op);
        }
    }

    /**
     * How often a feasible operation is picked, relative to the others: the GPU and kernel
     * activity the races are about come most often, and a statement that makes the first name of
     * a kind the rest needs (a DRM fd, a VM, an object, a queue) comes often until there is one;
     * the statements that end or reset the process (exit, exec) are rare.
     */
    private int weight(Op op) {
        return switch (op) {
            case OPEN -> names.own(Kind.DRM_FD).isEmpty() ? 16 : 3;
            case MMAP -> names.any(Kind.PTR) ? 6 : 12;
            case VM_CREATE -> names.any(Kind.VM) ? 4 : 16;
            case GEM_CREATE -> names.any(Kind.GEM) ? 8 : 16;
            case EXEC_QUEUE_CREATE -> names.any(Kind.QUEUE) ? 3 : 14;
            case VM_BIND_MAP, RECV -> 16;
            case VM_BIND_USERPTR -> 14;
            case EXEC_COPY, EVICT -> 10;
            case WRITE, MMAP_OFFSET, PRIME_IMPORT, MIGRATE, RECLAIM, GEM_MMAP_OFFSET -> 8;
            case MUNMAP, VM_BIND_UNMAP, EXEC_FILL, WAIT, PRIME_EXPORT -> 6;
            case GEM_CLOSE -> 5;
            case READ, MPROTECT, MADVISE, MMAP_DMABUF, DMA_BUF_SYNC, DMA_BUF_INFO, SEND -> 4;
            case KVM_CREATE -> names.own(Kind.KVM_FD).isEmpty() ? 3 : 1;
            case KVM_MAP, GUEST_MAP, GUEST_READ, GUEST_WRITE -> 4;
            case REG_MR -> names.any(Kind.MR) ? 4 : 12;
            case REG_MR_DMABUF -> names.own(Kind.DMABUF_FD).isEmpty() ? 3 : 16;
            case RDMA_READ, RDMA_WRITE -> 6;
            case MEM_ALLOC -> names.any(Kind.MEM) ? 4 : 12;
            case MEM_EXPORT -> 6;
            case MEM_FREE -> 3;
            case START_Q, MMAP_REGION, SUBMIT -> 8;
            case PUT_Q, DMA_MAP, FORK, EXPECT, EXPECT_READ -> 3;
            case CLOSE, VM_DESTROY, SIGNAL, AWAIT, DEVCOREDUMP -> 2;
            case EXEC, EXIT, DEBUG_ATTACH, DEVCOREDUMP_READ, DEVCOREDUMP_DELETE -> 1;
        };
    }

    private boolean feasible(Op op) {
        if (self == null ? !op.kernelOnly() && !op.anywhere() : op.kernelOnly()) {
            return false;
        }
        return switch (op) {
            case OPEN, MMAP, EXEC, EXIT, SIGNAL -> true;
            case WRITE, READ, MUNMAP, MPROTECT, MADVISE, MIGRATE, RECLAIM, EXPECT_READ -> names.any(Kind.PTR);
            case CLOSE -> !names.files().isEmpty();
            case VM_CREATE, GEM_CREATE -> !names.own(Kind.DRM_FD).isEmpty();
            case VM_BIND_UNMAP, EXEC_QUEUE_CREATE, VM_DESTROY -> names.any(Kind.VM);
            case VM_BIND_MAP -> names.any(Kind.VM) && names.any(Kind.GEM);
            case VM_BIND_USERPTR -> names.any(Kind.VM) && names.any(Kind.PTR);
            case EXEC_COPY, EXEC_FILL -> names.any(Kind.QUEUE);
            case WAIT -> names.any(Kind.FENCE);
            case EXPECT -> !names.subjects().isEmpty() || !names.bytes().isEmpty();
            case GEM_MMAP_OFFSET, GEM_CLOSE, PRIME_EXPORT -> names.any(Kind.GEM);
            case MMAP_OFFSET -> !names.own(Kind.OFFSET).isEmpty();
            case PRIME_IMPORT -> !names.own(Kind.DMABUF_FD).isEmpty() && !names.own(Kind.DRM_FD).isEmpty();
            case MMAP_DMABUF, DMA_BUF_SYNC, DMA_BUF_INFO -> !names.own(Kind.DMABUF_FD).isEmpty();
            case KVM_CREATE -> true;
            case KVM_MAP -> !names.own(Kind.KVM_FD).isEmpty() && names.any(Kind.PTR);
            case GUEST_MAP, GUEST_READ, GUEST_WRITE -> !names.own(Kind.KVM_FD).isEmpty();
            case REG_MR -> !names.own(Kind.UVERBS_FD).isEmpty() && names.any(Kind.PTR);
            case REG_MR_DMABUF -> !names.own(Kind.UVERBS_FD).isEmpty();
            case RDMA_READ -> names.any(Kind.MR) && names.any(Kind.PTR);
            case RDMA_WRITE -> names.any(Kind.MR);
            case MEM_ALLOC -> !names.own(Kind.ACCEL_FD).isEmpty();
            case MEM_FREE, MEM_EXPORT -> names.any(Kind.MEM);
            case START_Q, PUT_Q, MMAP_REGION -> !names.own(Kind.QUEUE_FD).isEmpty();
            case DMA_MAP -> !names.own(Kind.QUEUE_FD).isEmpty() && names.any(Kind.PTR);
            case SUBMIT -> !scenario.queueDevices.isEmpty() && names.any(Kind.PTR);
            case SEND -> !names.files().isEmpty() && !scenario.receiversAbove(names.rank).isEmpty();
            case RECV -> !self.mailbox.isEmpty();
            case FORK -> scenario.childOf(self) != null && !self.forked;
            case AWAIT -> !names.awaitable().isEmpty();
            case EVICT -> !names.evictable().isEmpty();
            case DEBUG_ATTACH -> scenario.devices.size() == 1;
            case DEVCOREDUMP, DEVCOREDUMP_READ, DEVCOREDUMP_DELETE -> !scenario.devices.isEmpty();
        };
    }

    private void write(Op op, StatementGene g) {
        switch (op) {
            case OPEN, MMAP, WRITE, READ, MUNMAP, MPROTECT, MADVISE, CLOSE -> memoryAndFiles(op, g);
            case VM_CREATE, VM_BIND_MAP, VM_BIND_USERPTR, VM_BIND_UNMAP, VM_DESTROY -> vm(op, g);
            case GEM_CREATE, GEM_MMAP_OFFSET, MMAP_OFFSET, GEM_CLOSE -> gem(op, g);
            case EXEC_QUEUE_CREATE, EXEC_COPY, EXEC_FILL, WAIT -> jobs(op, g);
            case EXPECT -> expect(g);
            case EXPECT_READ -> expectRead(g);
            case PRIME_EXPORT, PRIME_IMPORT, MMAP_DMABUF, DMA_BUF_SYNC, DMA_BUF_INFO -> prime(op, g);
            case KVM_CREATE, KVM_MAP, GUEST_MAP, GUEST_READ, GUEST_WRITE -> guest(op, g);
            case REG_MR, REG_MR_DMABUF, RDMA_READ, RDMA_WRITE -> rdma(op, g);
            case MEM_ALLOC, MEM_FREE, MEM_EXPORT -> accel(op, g);
            case START_Q, PUT_Q, DMA_MAP, MMAP_REGION, SUBMIT -> queue(op, g);
            case SEND, RECV, FORK, EXEC, EXIT, SIGNAL, AWAIT -> processes(op, g);
            case DEBUG_ATTACH -> debugAttach(g);
            case MIGRATE, RECLAIM, EVICT, DEVCOREDUMP -> kernel(op, g);
            case DEVCOREDUMP_READ -> call(scenario.fresh("d") + " = devcoredump_read "
                    + scenario.devices.get(g.a() % scenario.devices.size()));
            case DEVCOREDUMP_DELETE -> call("devcoredump_delete " + scenario.devices.get(g.a() % scenario.devices.size()));
        }
    }

    private void memoryAndFiles(Op op, StatementGene g) {
        switch (op) {
            case OPEN -> {
                List<String> all = new ArrayList<>(scenario.devices);
                all.addAll(scenario.nics);
                all.addAll(scenario.accels);
                all.addAll(scenario.queueDevices);
                int device = g.a() % all.size();
                int accels = scenario.devices.size() + scenario.nics.size() + scenario.accels.size();
                Kind kind = device < scenario.devices.size() ? Kind.DRM_FD
                        : device < scenario.devices.size() + scenario.nics.size() ? Kind.UVERBS_FD
                        : device < accels ? Kind.ACCEL_FD : Kind.QUEUE_FD;
                bind(null, device, null, kind, "fd", "open " + all.get(device) + (g.b() % 4 == 3 ? " cloexec" : ""));
            }
            case MMAP -> mmap(g);
            case WRITE -> call("write " + names.address(g.a(), g.b()) + " "
                    + GeneratedValues.data(g.d(), g.e(), scenario.fresh("S"), scenario.nameable()));
            case READ -> bind(null, 0, null, Kind.BYTES, "x",
                    "read " + names.address(g.a(), g.b()) + " " + GeneratedValues.readSize(g.c()));
            case MUNMAP -> call("munmap " + names.address(g.a(), g.b()) + " " + size(g.c()));
            case MPROTECT -> call("mprotect " + names.address(g.a(), g.b()) + " " + size(g.c()) + " "
                    + PROTS[g.d() % PROTS.length]);
            case MADVISE -> call("madvise " + names.address(g.a(), g.b()) + " " + size(g.c()) + " "
                    + ADVICE[g.d() % ADVICE.length]);
            default -> call("close " + names.fd(pick(names.files(), g.a()).name(), g.f()));
        }
    }

    private void mmap(StatementGene g) {
        String prot = switch (g.b() % 6) {
            case 3 -> " prot=r";
            case 4 -> " prot=none";
            case 5 -> " prot=rw";
            default -> "";
        };
        String fixed = g.d() % 4 == 3 && names.any(Kind.PTR) ? " at=" + names.address(g.e(), g.e() / 8) : "";
        String shared = g.c() % 3 == 2 ? " shared" : "";
        bind(null, 0, null, Kind.PTR, "p", "mmap " + boundSize(g.a()) + prot + shared + fixed);
    }

    private void vm(Op op, StatementGene g) {
        if (op == Op.VM_CREATE) {
            Binding fd = pick(names.own(Kind.DRM_FD), g.a());
            bind(fd.name(), fd.device(), null, Kind.VM, "vm", "ioctl " + names.fd(fd.name(), g.f()) + " vm_create");
            return;
        }
        Binding vm = names.ownOrForeign(Kind.VM, g.a());
        String ioctl = "ioctl " + names.fd(names.fdFor(vm, g.e()), g.f()) + " ";
        String range = " va=" + gpuVa(g.c()) + " size=" + size(g.d());
        String dumpable = g.b() % 3 == 2 ? " dumpable" : "";
        String vmId = names.id(names.ref(vm), g.f(), 0);
        switch (op) {
            case VM_BIND_MAP -> {
                Binding bo = names.ownOrForeign(Kind.GEM, g.b());
                String offset = g.e() / 8 % 4 == 3 ? " bo_offset=" + GeneratedValues.boOffset(g.e() / 32) : "";
                call(ioctl + "vm_bind " + vmId + " map bo=" + names.id(names.ref(bo), g.f(), 5) + offset + range
                        + dumpable);
            }
            case VM_BIND_USERPTR -> call(ioctl + "vm_bind " + vmId + " userptr addr="
                    + names.address(g.b(), g.e() / 8) + range + dumpable);
            case VM_BIND_UNMAP -> call(ioctl + "vm_bind " + vmId + " unmap" + range);
            default -> call(ioctl + "vm_destroy " + vmId);
        }
    }

    private void gem(Op op, StatementGene g) {
        switch (op) {
            case GEM_CREATE -> {
                Binding fd = pick(names.own(Kind.DRM_FD), g.a());
                String size = boundSize(g.b());
                String name = scenario.fresh("bo");
                call(name + " = ioctl " + names.fd(fd.name(), g.f()) + " gem_create " + size
                        + PLACEMENTS[g.c() % PLACEMENTS.length]
                        + CACHING[g.d() % CACHING.length]);
                names.local.add(new Binding(names.viewer, name, Kind.GEM, fd.name(), fd.device(), size, true));
            }
            case MMAP_OFFSET -> {
                Binding off = pick(names.own(Kind.OFFSET), g.a());
                String size = g.b() % 4 == 3 ? size(g.c()) : off.size();
                // Now and then through a file the offset is not of.
                List<Binding> files = names.files();
                String fd = g.e() % 8 == 7 && !files.isEmpty() ? pick(files, g.e() / 8).name() : off.fd();
                bind(null, 0, null, Kind.PTR, "m", "mmap " + names.fd(fd, g.f()) + " " + size + " offset=" + off.name()
                        + (g.d() % 4 == 3 ? " prot=r" : ""));
            }
            default -> {
                Binding bo = names.ownOrForeign(Kind.GEM, g.a());
                String fd = names.fdFor(bo, g.b());
                String ioctl = "ioctl " + names.fd(fd, g.f());
                String handle = names.id(names.ref(bo), g.f(), 0);
                if (op == Op.GEM_CLOSE) {
                    call(ioctl + " gem_close " + handle);
                } else {
                    bind(fd, bo.device(), bo.size(), Kind.OFFSET, "off", ioctl + " gem_mmap_offset " + handle);
                }
            }
        }
    }

    private void jobs(Op op, StatementGene g) {
        switch (op) {
            case EXEC_QUEUE_CREATE -> {
                Binding vm = names.ownOrForeign(Kind.VM, g.a());
                String fd = names.fdFor(vm, g.b());
                bind(fd, vm.device(), null, Kind.QUEUE, "q", "ioctl " + names.fd(fd, g.f()) + " exec_queue_create vm="
                        + names.id(names.ref(vm), g.f(), 0));
            }
            case EXEC_COPY, EXEC_FILL -> {
                Binding q = names.ownOrForeign(Kind.QUEUE, g.a());
                String job = op == Op.EXEC_COPY
                        ? "copy src=" + gpuVa(g.b()) + " dst=" + gpuVa(g.c()) + " size=" + size(g.d())
                        : "fill dst=" + gpuVa(g.b()) + " size=" + size(g.d()) + " byte=" + g.e() % 256;
                bind(null, q.device(), null, Kind.FENCE, "f", "ioctl " + names.fd(names.fdFor(q, g.e()), g.f())
                        + " exec queue=" + names.id(names.ref(q), g.f(), 0) + " " + job);
            }
            case WAIT -> {
                String f = names.ref(names.ownOrForeign(Kind.FENCE, g.a()));
                call("wait " + f);
                names.waited.add(f);
            }
            default -> throw new IllegalArgumentException(op + " is no job statement");
        }
    }

    /**
     * An inline expectation: the end of a fence this thread waited for; a name compared with any
     * outcome (which always holds), a number, another name or an address ({@code p+4K}); bytes
     * read compared with data. Mostly for inequality: one that does not hold ends the run as an
     * expectation failure, a modelled result.
     */
    private void expect(StatementGene g) {
        String comparison = g.c() % 4 == 0 ? " == " : " != ";
        List<String> subjects = names.subjects();
        List<String> bytes = names.bytes();
        if (subjects.isEmpty() || (g.b() % 6 == 5 && !bytes.isEmpty())) {
            lines.add("expect " + bytes.get(g.a() % bytes.size()) + comparison
                    + GeneratedValues.data(g.d(), g.e(), scenario.fresh("S"), scenario.nameable()));
            return;
        }
        String subject = subjects.get(g.a() % subjects.size());
        if (names.waited.contains(subject)) {
            lines.add("expect " + subject + " == " + (g.b() % 2 == 0 ? "ok|error" : "ok"));
            return;
        }
        List<String> others = names.numbers();
        String expected = switch (g.b() % 6) {
            case 1 -> comparison + GeneratedValues.comparedNumber(g.d());
            case 2, 3 -> comparison + others.get(g.d() % others.size());
            case 4 -> comparison + (names.any(Kind.PTR)
                    ? names.ref(names.ownOrForeign(Kind.PTR, g.d())) + (g.e() % 2 == 0 ? "+4K" : "-8")
                    : others.get(g.d() % others.size()));
            default -> " == ok|error";
        };
        lines.add("expect " + subject + expected);
    }

    /**
     * {@code expect read ADDR COUNT == DATA} or {@code !=}: equality mostly with the zeros of
     * memory nothing wrote yet, or data that was written (one that does not hold ends the run).
     */
    private void expectRead(StatementGene g) {
        String size = GeneratedValues.readSize(g.c());
        String data = g.d() % 3 == 0 && !size.equals("0") ? GeneratedValues.dataOfSize(g.e(), size)
                : GeneratedValues.data(g.d(), g.e(), scenario.fresh("S"), scenario.nameable());
        String comparison = data.startsWith("0x00*") || g.b() % 8 == 7 ? " == " : " != ";
        lines.add("expect read " + names.address(g.a(), g.b()) + " " + size + comparison + data);
    }

    private void prime(Op op, StatementGene g) {
        switch (op) {
            case PRIME_EXPORT -> {
                Binding bo = names.ownOrForeign(Kind.GEM, g.a());
                String fd = names.fd(names.fdFor(bo, g.b()), g.f());
                bind(null, bo.device(), bo.size(), Kind.DMABUF_FD, "db", "ioctl " + fd + " prime_handle_to_fd "
                        + names.id(names.ref(bo), g.f(), 0) + (g.c() % 4 == 3 ? " cloexec" : "")
                        + (g.d() % 2 == 1 ? " rdwr" : ""));
            }
            case PRIME_IMPORT -> {
                // Now and then a file that is not a dma-buf.
                Binding db = pick(g.c() % 8 == 7 ? names.files() : names.own(Kind.DMABUF_FD), g.a());
                Binding fd = pick(names.own(Kind.DRM_FD), g.b());
                bind(fd.name(), fd.device(), db.size() == null ? "4K" : db.size(), Kind.GEM, "h",
                        "ioctl " + names.fd(fd.name(), g.f()) + " prime_fd_to_handle "
                                + names.fd(db.name(), g.f() / 7));
            }
            case DMA_BUF_SYNC -> {
                // Now and then a file that is not a dma-buf.
                Binding db = pick(g.c() % 8 == 7 ? names.files() : names.own(Kind.DMABUF_FD), g.a());
                call("ioctl " + names.fd(db.name(), g.f()) + " dma_buf_sync " + (g.b() % 2 == 0 ? "start" : "end")
                        + " " + new String[] {"read", "write", "rw"}[g.d() % 3]);
            }
            case DMA_BUF_INFO -> {
                // Now and then a file that is not a dma-buf.
                Binding db = pick(g.c() % 8 == 7 ? names.files() : names.own(Kind.DMABUF_FD), g.a());
                bind(null, 0, null, Kind.MAP_INFO, "i", "ioctl " + names.fd(db.name(), g.f()) + " dma_buf_info");
            }
            default -> {
                Binding db = pick(names.own(Kind.DMABUF_FD), g.a());
                String size = g.b() % 4 == 3 ? size(g.c()) : db.size();
                String prot = g.d() % 2 == 0 ? " prot=r" : "";
                bind(null, 0, null, Kind.PTR, "m", "mmap " + names.fd(db.name(), g.f()) + " " + size + prot);
            }
        }
    }

    /**
     * {@code reg_mr} over memory the thread can name, now and then on a file that is not a
     * uverbs file, or over one of its dma-bufs (now and then, or without one, a file that is not
     * one); {@code rdma_read} and {@code rdma_write} through a region, on its own uverbs
     * fd or, for another process's region, on one of the thread's (a handle of another file).
     */
    private void rdma(Op op, StatementGene g) {
        if (op == Op.REG_MR) {
            Binding fd = pick(g.c() % 8 == 7 ? names.files() : names.own(Kind.UVERBS_FD), g.a());
            bind(fd.name(), fd.device(), null, Kind.MR, "mr", "ioctl " + names.fd(fd.name(), g.f()) + " reg_mr addr="
                    + names.address(g.b(), g.e()) + " size=" + boundSize(g.d()));
            return;
        }
        if (op == Op.REG_MR_DMABUF) {
            Binding fd = pick(names.own(Kind.UVERBS_FD), g.a());
            List<Binding> dmabufs = names.own(Kind.DMABUF_FD);
            Binding db = pick(g.c() % 8 == 7 || dmabufs.isEmpty() ? names.files() : dmabufs, g.b());
            bind(fd.name(), fd.device(), null, Kind.MR, "mr", "ioctl " + names.fd(fd.name(), g.f()) + " reg_mr dmabuf="
                    + names.fd(db.name(), g.f() / 7));
            return;
        }
        Binding mr = names.ownOrForeign(Kind.MR, g.a());
        List<Binding> uverbs = names.own(Kind.UVERBS_FD);
        String fd = mr.process().equals(names.viewer) ? mr.fd()
                : uverbs.isEmpty() ? mr.process() + "." + mr.fd() : pick(uverbs, g.b()).name();
        String ioctl = "ioctl " + names.fd(fd, g.f()) + " ";
        String offset = " offset=" + GeneratedValues.boOffset(g.c());
        if (op == Op.RDMA_READ) {
            call(ioctl + "rdma_read mr=" + names.ref(mr) + offset + " size=" + GeneratedValues.readSize(g.d())
                    + " into=" + names.address(g.e(), g.e() / 8));
        } else {
            call(ioctl + "rdma_write mr=" + names.ref(mr) + offset + " data="
                    + GeneratedValues.data(g.d(), g.e(), scenario.fresh("S"), scenario.nameable()));
        }
    }

    /**
     * {@code mem_alloc} on an accelerator fd the thread opened (now and then of size 0, or on
     * another file), {@code mem_free} and {@code mem_export} of memory it can name, on the fd
     * {@link ThreadNames#fdFor(Binding, Kind, int)} picks; an export binds a dma-buf the PRIME
     * and RDMA statements can use.
     */
    private void accel(Op op, StatementGene g) {
        if (op == Op.MEM_ALLOC) {
            Binding fd = pick(g.c() % 8 == 7 ? names.files() : names.own(Kind.ACCEL_FD), g.a());
            String size = g.d() % 8 == 7 ? "0" : size(g.b());
            bind(fd.name(), fd.device(), size, Kind.MEM, "h", "ioctl " + names.fd(fd.name(), g.f()) + " mem_alloc " + size);
            return;
        }
        Binding mem = names.ownOrForeign(Kind.MEM, g.a());
        String ioctl = "ioctl " + names.fd(names.fdFor(mem, Kind.ACCEL_FD, g.b()), g.f()) + " ";
        String handle = names.id(names.ref(mem), g.f(), 0);
        if (op == Op.MEM_FREE) {
            call(ioctl + "mem_free " + handle);
        } else {
            // Whatever the handle names, a dma-buf this makes is the accelerator's.
            int acc = scenario.devices.size() + scenario.nics.size();
            bind(null, acc, mem.size(), Kind.DMABUF_FD, "db", ioctl + "mem_export " + handle
                    + (g.d() % 2 == 1 ? " rdwr" : ""));
        }
    }

    /**
     * A uacce queue's statements: start_q, put_q or dma_map on one of the thread's queue fds (now
     * and then another file), a doorbell or device-user-share mapping, and a submission through any
     * address (a doorbell the thread or its parent mapped, or memory that rings nothing).
     */
    private void queue(Op op, StatementGene g) {
        if (op == Op.SUBMIT) {
            bind(null, 0, null, Kind.FENCE, "f", "submit " + names.ref(names.ownOrForeign(Kind.PTR, g.a())) + " op=copy src="
                    + names.address(g.c(), g.d()) + " dst=" + names.address(g.e(), g.d() / 8) + " size=" + queueSize(g.b() / 8));
            return;
        }
        Binding fd = pick(g.c() % 8 == 7 ? names.files() : names.own(Kind.QUEUE_FD), g.a());
        String target = names.fd(fd.name(), g.f());
        switch (op) {
            case START_Q -> call("ioctl " + target + " start_q");
            case PUT_Q -> call("ioctl " + target + " put_q");
            case DMA_MAP -> call("ioctl " + target + " dma_map addr=" + names.address(g.d(), g.e() / 8) + " size="
                    + queueSize(g.b() / 8));
            default -> bind(null, 0, null, Kind.PTR, "p", "mmap " + target + " "
                    + (g.b() % 2 == 0 ? "4K region=mmio" : boundSize(g.d()) + " region=dus"));
        }
    }

    /**
     * A guest: {@code kvm_create} with or without host options, and on one of the thread's VM fds
     * (now and then another file) a memslot over any mapping the thread can name, the guest's own
     * mapping with or without a type, and guest reads and writes.
     */
    private void guest(Op op, StatementGene g) {
        if (op == Op.KVM_CREATE) {
            bind(null, 0, null, Kind.KVM_FD, "g", "kvm_create" + KVM_OPTIONS[g.a() % KVM_OPTIONS.length]);
            return;
        }
        // G is a name (never a number), now and then one of another file.
        String target = pick(g.c() % 8 == 7 ? names.files() : names.own(Kind.KVM_FD), g.a()).name();
        String gpa = " gpa=" + GeneratedValues.gpa(g.b());
        switch (op) {
            case KVM_MAP -> call("kvm_map " + target + gpa + " addr=" + names.address(g.d(), g.e() / 8) + " size="
                    + size(g.e()));
            case GUEST_MAP -> call("guest_map " + target + gpa + " size=" + size(g.d())
                    + GUEST_CACHING[g.e() % GUEST_CACHING.length]);
            case GUEST_READ -> bind(null, 0, null, Kind.BYTES, "x", "guest_read " + target + gpa + " size="
                    + GeneratedValues.readSize(g.d()));
            default -> call("guest_write " + target + gpa + " data="
                    + GeneratedValues.data(g.d(), g.e(), scenario.fresh("S"), scenario.nameable()));
        }
    }

    private void processes(Op op, StatementGene g) {
        switch (op) {
            case SEND -> send(g);
            case RECV -> {
                Binding file = self.mailbox.remove(g.a() % self.mailbox.size());
                call("recv " + file.name());
                names.local.add(file);
            }
            case FORK -> fork();
            case EXEC -> call("exec");
            case EXIT -> {
                forkIfDue();
                call("exit");
                ended = true;
            }
            case SIGNAL -> {
                String event = EVENTS[g.a() % EVENTS.length];
                call("signal " + event);
                scenario.events.add(event);
            }
            default -> {
                List<String> events = names.awaitable();
                call("await " + events.get(g.a() % events.size()));
            }
        }
    }

    /**
     * {@code debug_attach} of a declared process (one that exists from the start, so the attach
     * never waits for a fork that may not come), in a scenario with one GPU, the only one the
     * model runs it in; the connection stays open until the debugger exits. Every other attach
     * reads one event (discovery's, the target's, or ENOENT when none can come), and every other
     * of those opens the first VM handle and reads and writes at a GPU VA through it.
     */
    private void debugAttach(StatementGene g) {
        List<Proc> declared = scenario.processes.stream().filter(p -> p.parent == null).toList();
        String attach = "debug_attach " + declared.get(g.a() % declared.size()).name;
        if (g.a() % 2 == 0) {
            call(attach);
            return;
        }
        String dbg = scenario.fresh("dbg");
        call(dbg + " = " + attach);
        call(scenario.fresh("ev") + " = debug_read_event " + dbg);
        if (g.b() % 2 == 1) {
            // The first VM handle, whichever event came: EINVAL (or EBUSY) when there is none yet.
            String v = scenario.fresh("v");
            call(v + " = debug_vm_open " + dbg + " vm=1");
            String va = " va=" + gpuVa(g.c());
            call(scenario.fresh("x") + " = debug_vm_read " + v + va + " size=" + GeneratedValues.readSize(g.d()));
            call("debug_vm_write " + v + va + " data="
                    + GeneratedValues.data(g.e(), g.f(), scenario.fresh("S"), scenario.nameable()));
        }
    }

    private void kernel(Op op, StatementGene g) {
        if (op == Op.EVICT) {
            call("evict " + names.ref(pick(names.evictable(), g.a())));
            return;
        }
        if (op == Op.DEVCOREDUMP) {
            call("devcoredump " + scenario.devices.get(g.a() % scenario.devices.size()));
            return;
        }
        Binding p = pick(names.foreign(Kind.PTR), g.a());
        call(op.name().toLowerCase(Locale.ROOT) + " " + p.process() + " " + names.ref(p)
                + GeneratedValues.offset(g.b()) + " " + size(g.c()));
    }

    /** Sends a file to a higher-ranked process, whose thread may {@code recv} it under a new name. */
    private void send(StatementGene g) {
        Binding file = pick(names.files(), g.a());
        List<Proc> receivers = scenario.receiversAbove(names.rank);
        Proc to = receivers.get(g.b() % receivers.size());
        String as = scenario.fresh("s");
        call("send " + file.name() + " to " + to.name + " as " + as);
        to.mailbox.add(new Binding(to.name, as, file.kind(), null, file.device(), file.size(), false));
    }

    /**
     * Forks this process's child, which inherits what this process inherited and the names this
     * thread bound so far (a child can fork in turn: a grandchild).
     */
    private void fork() {
        Proc child = scenario.childOf(self);
        call("fork " + child.name);
        self.forked = true;
        List<Binding> passed = new ArrayList<>(self.inherited);
        passed.addAll(names.local);
        for (Binding b : passed) {
            Binding copy = b.inheritedBy(child.name);
            child.inherited.add(copy);
            child.bound.add(copy);
        }
    }

    /** A process whose child has threads forks it before its first thread ends. */
    private void forkIfDue() {
        if (self != null && self.mustFork && !self.forked) {
            fork();
        }
    }

    private void call(String statement) {
        lines.add(statement + ANY);
    }

    /** {@code NAME = statement}, NAME a new name of {@code kind}. */
    private void bind(String fd, int device, String size, Kind kind, String prefix, String statement) {
        String name = scenario.fresh(prefix);
        call(name + " = " + statement);
        names.local.add(new Binding(names.viewer, name, kind, fd, device, size, false));
    }
}
