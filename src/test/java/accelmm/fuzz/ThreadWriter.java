package accelmm.fuzz;

import accelmm.fuzz.Binding.Kind;
import accelmm.fuzz.ScenarioPlan.StatementGene;
import accelmm.fuzz.ScenarioPlan.ThreadGene;
import accelmm.fuzz.ScenarioWriter.Proc;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Writes the statements of one thread block from its genes: each gene picks one of the
 * operations the names visible at that point allow ({@link ScenarioWriter} says which names
 * those are), weighted so that the statements that build state come often, then its arguments
 * among those names and a few sizes, offsets and GPU addresses. The GPU addresses overlap on
 * purpose, so binds replace and split each other; CPU addresses are a mapping plus 0, 4K or 8K.
 */
final class ThreadWriter {

    /** A written block: its {@code after} event, if any, and its statements. */
    record Written(Optional<String> after, List<String> lines) {
    }

    /** The operations a gene may pick; kernel activity last. */
    enum Op {
        OPEN, MMAP, WRITE, READ, MUNMAP, MPROTECT, MADVISE, CLOSE, VM_CREATE, GEM_CREATE, VM_BIND_MAP,
        VM_BIND_USERPTR, VM_BIND_UNMAP, EXEC_QUEUE_CREATE, EXEC_COPY, EXEC_FILL, WAIT, EXPECT, GEM_MMAP_OFFSET,
        MMAP_OFFSET, GEM_CLOSE, VM_DESTROY, PRIME_EXPORT, PRIME_IMPORT, MMAP_DMABUF, SEND, RECV, FORK, EXEC, EXIT,
        SIGNAL, AWAIT, MIGRATE, RECLAIM, EVICT;

        boolean kernelOnly() {
            return this == MIGRATE || this == RECLAIM || this == EVICT;
        }

        /** Allowed in a kernel thread too. */
        boolean anywhere() {
            return this == WAIT || this == EXPECT || this == SIGNAL || this == AWAIT;
        }
    }

    private static final String ANY = " => ok|error";
    // Values of each kind: the common ones, and now and then one at an edge (empty, unaligned,
    // past the end, too large), where the model must answer with an errno too.
    private static final String[] SIZES = {"4K", "8K", "16K"};
    private static final String[] ODD_SIZES = {"0", "100", "6K", "1M"};
    private static final String[] OFFSETS = {"", "+4K", "+8K"};
    private static final String[] ODD_OFFSETS = {"+100", "-4K", "+16K"};
    private static final String[] GPU_VAS = {"0x100000", "0x101000", "0x102000", "0x104000", "0x200000"};
    private static final String[] ODD_GPU_VAS = {"0x100800", "0", "0x1000000000000"};
    private static final String[] READ_SIZES = {"8", "64", "4K"};
    private static final String[] ODD_READ_SIZES = {"0", "16K"};
    private static final String[] BO_OFFSETS = {"4K"};
    private static final String[] ODD_BO_OFFSETS = {"100", "16K"};
    private static final String[] PROTS = {"r", "rw", "none"};
    private static final String[] ADVICE = {"dontneed", "dontfork", "dofork", "wipeonfork", "keeponfork"};
    private static final String[] PLACEMENTS = {"", " placement=system", " placement=vram",
        " placement=vram,system", " placement=vram"};
    private static final String[] EVENTS = {"e0", "e1", "e2"};

    private final ScenarioWriter scenario;
    /** The thread's process, or null in a kernel thread. */
    private final Proc self;
    private final String viewer;
    private final int rank;
    private final List<String> lines = new ArrayList<>();
    /** Names this thread bound so far. */
    private final List<Binding> local = new ArrayList<>();
    /** Fences this thread waited for (as it names them): an expectation on them reads their end. */
    private final List<String> waited = new ArrayList<>();
    private boolean ended;

    ThreadWriter(ScenarioWriter scenario, Proc self) {
        this.scenario = scenario;
        this.self = self;
        this.viewer = self == null ? "kernel" : self.name;
        this.rank = self == null ? Integer.MAX_VALUE : self.rank;
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
            self.bound.addAll(local);
        }
        return new Written(after, lines);
    }

    /** One time in four, the thread starts after an event that can come. */
    private Optional<String> start(int choice) {
        List<String> events = awaitable();
        return choice % 4 != 3 || events.isEmpty() ? Optional.empty()
                : Optional.of(events.get(choice / 4 % events.size()));
    }

    private void statement(StatementGene g) {
        List<Op> open = Arrays.stream(Op.values()).filter(this::feasible).toList();
        int total = open.stream().mapToInt(this::weight).sum();
        int x = g.operation() % total;
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
     * a kind the rest needs (a DRM fd, a VM, an object, a queue) comes often until it has; the
     * statements that end or reset the process (exit, exec) are rare.
     */
    private int weight(Op op) {
        return switch (op) {
            case OPEN -> own(Kind.DRM_FD).isEmpty() ? 16 : 3;
            case MMAP -> any(Kind.PTR) ? 6 : 12;
            case VM_CREATE -> any(Kind.VM) ? 4 : 16;
            case GEM_CREATE -> any(Kind.GEM) ? 8 : 16;
            case EXEC_QUEUE_CREATE -> any(Kind.QUEUE) ? 3 : 14;
            case VM_BIND_MAP, RECV -> 16;
            case VM_BIND_USERPTR -> 14;
            case EXEC_COPY, EVICT -> 10;
            case WRITE, MMAP_OFFSET, PRIME_IMPORT, MIGRATE, RECLAIM -> 8;
            case MUNMAP, VM_BIND_UNMAP, EXEC_FILL, WAIT, GEM_MMAP_OFFSET, PRIME_EXPORT -> 6;
            case GEM_CLOSE -> 5;
            case READ, MPROTECT, MADVISE, MMAP_DMABUF, SEND -> 4;
            case FORK -> 3;
            case CLOSE, VM_DESTROY, EXPECT, SIGNAL, AWAIT -> 2;
            case EXEC, EXIT -> 1;
        };
    }

    private boolean feasible(Op op) {
        if (self == null ? !op.kernelOnly() && !op.anywhere() : op.kernelOnly()) {
            return false;
        }
        return switch (op) {
            case OPEN, MMAP, EXEC, EXIT, SIGNAL -> true;
            case WRITE, READ, MUNMAP, MPROTECT, MADVISE -> any(Kind.PTR);
            case CLOSE -> !files().isEmpty();
            case VM_CREATE, GEM_CREATE -> !own(Kind.DRM_FD).isEmpty();
            case VM_BIND_UNMAP, EXEC_QUEUE_CREATE, VM_DESTROY -> any(Kind.VM);
            case VM_BIND_MAP -> any(Kind.VM) && any(Kind.GEM);
            case VM_BIND_USERPTR -> any(Kind.VM) && any(Kind.PTR);
            case EXEC_COPY, EXEC_FILL -> any(Kind.QUEUE);
            case WAIT -> any(Kind.FENCE);
            case EXPECT -> !subjects().isEmpty();
            case GEM_MMAP_OFFSET, GEM_CLOSE, PRIME_EXPORT -> any(Kind.GEM);
            case MMAP_OFFSET -> !own(Kind.OFFSET).isEmpty();
            case PRIME_IMPORT -> !own(Kind.DMABUF_FD).isEmpty() && !own(Kind.DRM_FD).isEmpty();
            case MMAP_DMABUF -> !own(Kind.DMABUF_FD).isEmpty();
            case SEND -> !files().isEmpty() && !scenario.receiversAbove(rank).isEmpty();
            case RECV -> !self.mailbox.isEmpty();
            case FORK -> self.parent == null && !self.forked;
            case AWAIT -> !awaitable().isEmpty();
            case MIGRATE, RECLAIM -> any(Kind.PTR);
            case EVICT -> !evictable().isEmpty();
        };
    }

    private void write(Op op, StatementGene g) {
        switch (op) {
            case OPEN -> open(g);
            case MMAP -> mmap(g);
            case WRITE -> call("write " + address(g.a(), g.b()) + " " + data(g));
            case READ -> bind(Kind.BYTES, "x", "read " + address(g.a(), g.b()) + " " + value(READ_SIZES, ODD_READ_SIZES, g.c()));
            case MUNMAP -> call("munmap " + address(g.a(), g.b()) + " " + size(g.c()));
            case MPROTECT -> call("mprotect " + address(g.a(), g.b()) + " " + size(g.c()) + " " + PROTS[g.d() % 3]);
            case MADVISE -> call("madvise " + address(g.a(), g.b()) + " " + size(g.c()) + " " + ADVICE[g.d() % 5]);
            case CLOSE -> call("close " + pick(files(), g.a()).name());
            case VM_CREATE -> {
                Binding fd = pick(own(Kind.DRM_FD), g.a());
                bindOn(fd.name(), fd.device(), null, Kind.VM, "vm", "ioctl " + fd.name() + " vm_create");
            }
            case GEM_CREATE -> gemCreate(g);
            case VM_BIND_MAP -> vmBindMap(g);
            case VM_BIND_USERPTR -> {
                Binding vm = ownOrForeign(Kind.VM, g.a());
                call("ioctl " + fdFor(vm, g.e()) + " vm_bind " + vm.ref(viewer) + " userptr addr=" + address(g.b(), g.e() / 4)
                        + " va=" + va(g.c()) + " size=" + size(g.d()));
            }
            case VM_BIND_UNMAP -> {
                Binding vm = ownOrForeign(Kind.VM, g.a());
                call("ioctl " + fdFor(vm, g.b()) + " vm_bind " + vm.ref(viewer) + " unmap va=" + va(g.c()) + " size="
                        + size(g.d()));
            }
            case EXEC_QUEUE_CREATE -> {
                Binding vm = ownOrForeign(Kind.VM, g.a());
                String fd = fdFor(vm, g.b());
                bindOn(fd, vm.device(), null, Kind.QUEUE, "q", "ioctl " + fd + " exec_queue_create vm=" + vm.ref(viewer));
            }
            case EXEC_COPY, EXEC_FILL -> exec(op, g);
            case WAIT -> {
                Binding f = ownOrForeign(Kind.FENCE, g.a());
                call("wait " + f.ref(viewer));
                waited.add(f.ref(viewer));
            }
            case EXPECT -> expect(g);
            case GEM_MMAP_OFFSET -> {
                Binding bo = ownOrForeign(Kind.GEM, g.a());
                String fd = fdFor(bo, g.b());
                bindOn(fd, bo.device(), bo.size(), Kind.OFFSET, "off", "ioctl " + fd + " gem_mmap_offset " + bo.ref(viewer));
            }
            case MMAP_OFFSET -> {
                Binding off = pick(own(Kind.OFFSET), g.a());
                String size = g.b() % 4 == 3 ? size(g.c()) : off.size();
                String fd = g.e() % 8 == 7 && !files().isEmpty() ? pick(files(), g.e() / 8).name() : off.fd();
                bind(Kind.PTR, "m", "mmap " + fd + " " + size + " offset=" + off.name() + (g.d() % 4 == 3 ? " prot=r" : ""));
            }
            case GEM_CLOSE -> {
                Binding bo = ownOrForeign(Kind.GEM, g.a());
                call("ioctl " + fdFor(bo, g.b()) + " gem_close " + bo.ref(viewer));
            }
            case VM_DESTROY -> {
                Binding vm = ownOrForeign(Kind.VM, g.a());
                call("ioctl " + fdFor(vm, g.b()) + " vm_destroy " + vm.ref(viewer));
            }
            case PRIME_EXPORT -> primeExport(g);
            case PRIME_IMPORT -> {
                // Now and then a file that is not a dma-buf.
                Binding db = pick(g.c() % 8 == 7 ? files() : own(Kind.DMABUF_FD), g.a());
                Binding fd = pick(own(Kind.DRM_FD), g.b());
                bindOn(fd.name(), fd.device(), db.size() == null ? "4K" : db.size(), Kind.GEM, "h",
                        "ioctl " + fd.name() + " prime_fd_to_handle " + db.name());
            }
            case MMAP_DMABUF -> {
                Binding db = pick(own(Kind.DMABUF_FD), g.a());
                String size = g.b() % 4 == 3 ? size(g.c()) : db.size();
                bind(Kind.PTR, "m", "mmap " + db.name() + " " + size + (g.d() % 2 == 0 ? " prot=r" : ""));
            }
            case SEND -> send(g);
            case RECV -> {
                Binding file = self.mailbox.remove(g.a() % self.mailbox.size());
                call("recv " + file.name());
                local.add(file);
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
            case AWAIT -> {
                List<String> events = awaitable();
                call("await " + events.get(g.a() % events.size()));
            }
            case MIGRATE, RECLAIM -> {
                Binding p = pick(scenario.foreign(rank, Kind.PTR), g.a());
                call(op.name().toLowerCase(java.util.Locale.ROOT) + " " + p.process() + " " + p.ref(viewer)
                        + value(OFFSETS, ODD_OFFSETS, g.b()) + " " + size(g.c()));
            }
            case EVICT -> call("evict " + pick(evictable(), g.a()).ref(viewer));
        }
    }

    private void open(StatementGene g) {
        int device = g.a() % scenario.devices.size();
        bindOn(null, device, null, Kind.DRM_FD, "fd",
                "open " + scenario.devices.get(device) + (g.b() % 4 == 3 ? " cloexec" : ""));
    }

    private void mmap(StatementGene g) {
        StringBuilder s = new StringBuilder("mmap ").append(size(g.a()));
        switch (g.b() % 6) {
            case 3 -> s.append(" prot=r");
            case 4 -> s.append(" prot=none");
            case 5 -> s.append(" prot=rw");
            default -> {
            }
        }
        if (g.c() % 3 == 2) {
            s.append(" shared");
        }
        if (g.d() % 4 == 3 && any(Kind.PTR)) {
            s.append(" at=").append(address(g.e(), g.e() / 8));
        }
        bind(Kind.PTR, "p", s.toString());
    }

    private String data(StatementGene g) {
        return switch (g.d() % 4) {
            case 0, 1 -> "\"w" + g.e() + "\"";
            case 2 -> String.format("0x%02x*%s", g.e() % 256, new String[] {"64", "4K", "8K"}[g.c() % 3]);
            default -> "secret \"" + scenario.fresh("S") + "\"";
        };
    }

    private void gemCreate(StatementGene g) {
        Binding fd = pick(own(Kind.DRM_FD), g.a());
        String size = size(g.b());
        String caching = switch (g.d() % 5) {
            case 3 -> " caching=wc";
            case 4 -> " caching=uc";
            default -> "";
        };
        String name = scenario.fresh("bo");
        call(name + " = ioctl " + fd.name() + " gem_create " + size + PLACEMENTS[g.c() % PLACEMENTS.length] + caching);
        local.add(new Binding(viewer, name, Kind.GEM, fd.name(), fd.device(), size, true));
    }

    private void vmBindMap(StatementGene g) {
        Binding vm = ownOrForeign(Kind.VM, g.a());
        Binding bo = ownOrForeign(Kind.GEM, g.b());
        call("ioctl " + fdFor(vm, g.e()) + " vm_bind " + vm.ref(viewer) + " map bo=" + bo.ref(viewer)
                + (g.e() / 4 % 4 == 3 ? " bo_offset=" + value(BO_OFFSETS, ODD_BO_OFFSETS, g.e() / 16) : "") + " va=" + va(g.c()) + " size=" + size(g.d()));
    }

    private void exec(Op op, StatementGene g) {
        Binding q = ownOrForeign(Kind.QUEUE, g.a());
        String job = op == Op.EXEC_COPY ? "copy src=" + va(g.b()) + " dst=" + va(g.c()) + " size=" + size(g.d())
                : "fill dst=" + va(g.b()) + " size=" + size(g.d()) + " byte=" + g.e() % 256;
        bindOn(null, q.device(), null, Kind.FENCE, "f", "ioctl " + fdFor(q, g.e()) + " exec queue=" + q.ref(viewer) + " " + job);
    }

    /**
     * An inline expectation: the end of a fence this thread waited for, or a name compared with
     * any outcome (which always holds) or with another name, mostly for inequality (one that does
     * not hold ends the run as an expectation failure, a modelled result).
     */
    private void expect(StatementGene g) {
        List<String> subjects = subjects();
        String subject = subjects.get(g.a() % subjects.size());
        if (waited.contains(subject)) {
            lines.add("expect " + subject + " == " + (g.b() % 2 == 0 ? "ok|error" : "ok"));
            return;
        }
        List<String> others = numbers();
        lines.add("expect " + subject + (g.b() % 2 == 0 ? " == ok|error"
                : (g.c() % 4 == 0 ? " == " : " != ") + others.get(g.d() % others.size())));
    }

    private void primeExport(StatementGene g) {
        Binding bo = ownOrForeign(Kind.GEM, g.a());
        String fd = fdFor(bo, g.b());
        bindOn(null, bo.device(), bo.size(), Kind.DMABUF_FD, "db", "ioctl " + fd + " prime_handle_to_fd " + bo.ref(viewer)
                + (g.c() % 4 == 3 ? " cloexec" : "") + (g.d() % 2 == 1 ? " rdwr" : ""));
    }

    /** Sends a file to a higher-ranked process, whose thread may {@code recv} it under a new name. */
    private void send(StatementGene g) {
        Binding file = pick(files(), g.a());
        List<Proc> receivers = scenario.receiversAbove(rank);
        Proc to = receivers.get(g.b() % receivers.size());
        String as = scenario.fresh("s");
        call("send " + file.name() + " to " + to.name + " as " + as);
        to.mailbox.add(new Binding(to.name, as, file.kind(), null, file.device(), file.size(), false));
    }

    /** Forks this process's child, which inherits the names this thread bound so far. */
    private void fork() {
        Proc child = scenario.processes.stream().filter(p -> p.parent == self).findFirst().orElseThrow();
        call("fork " + child.name);
        self.forked = true;
        local.forEach(b -> child.bound.add(b.inheritedBy(child.name)));
    }

    /** A process whose child has threads forks it before its first thread ends. */
    private void forkIfDue() {
        if (self != null && self.mustFork && !self.forked) {
            fork();
        }
    }

    // ---- names -----------------------------------------------------------------------------

    private void call(String statement) {
        lines.add(statement + ANY);
    }

    private void bind(Kind kind, String prefix, String statement) {
        bindOn(null, 0, null, kind, prefix, statement);
    }

    private void bindOn(String fd, int device, String size, Kind kind, String prefix, String statement) {
        String name = scenario.fresh(prefix);
        call(name + " = " + statement);
        local.add(new Binding(viewer, name, kind, fd, device, size, false));
    }

    /** Names of {@code kind} this thread sees unqualified: its own, its process's, inherited ones. */
    private List<Binding> own(Kind kind) {
        List<Binding> out = new ArrayList<>();
        if (self != null) {
            self.bound.stream().filter(b -> b.kind() == kind).forEach(out::add);
        }
        local.stream().filter(b -> b.kind() == kind).forEach(out::add);
        return out;
    }

    private boolean any(Kind kind) {
        return !own(kind).isEmpty() || !scenario.foreign(rank, kind).isEmpty();
    }

    /** Mostly one of the thread's own names; one time in five, if there is one, another process's. */
    private Binding ownOrForeign(Kind kind, int choice) {
        List<Binding> own = own(kind);
        List<Binding> foreign = scenario.foreign(rank, kind);
        return own.isEmpty() || (!foreign.isEmpty() && choice % 5 == 4) ? pick(foreign, choice / 5) : pick(own, choice);
    }

    private static Binding pick(List<Binding> options, int choice) {
        return options.get(choice % options.size());
    }

    /**
     * The DRM fd to name an object with: the one it was made on, or now and then another of the
     * thread's own (the same device or not); for another process's object one of the thread's own
     * fds, or, without one, that process's fd number.
     */
    private String fdFor(Binding object, int choice) {
        List<Binding> fds = own(Kind.DRM_FD);
        boolean mine = object.process().equals(viewer);
        if (fds.isEmpty() || (mine && choice % 4 != 3)) {
            return mine || object.fd().contains(".") ? object.fd() : object.process() + "." + object.fd();
        }
        return pick(fds, choice / 4).name();
    }

    private List<Binding> files() {
        List<Binding> out = new ArrayList<>(own(Kind.DRM_FD));
        out.addAll(own(Kind.DMABUF_FD));
        return out;
    }

    private List<Binding> evictable() {
        return scenario.foreign(rank, Kind.GEM).stream().filter(Binding::created).toList();
    }

    /** What an expectation may be about: fences waited for, and numbers this thread can name. */
    private List<String> subjects() {
        List<String> out = new ArrayList<>(waited);
        out.addAll(numbers());
        return out;
    }

    private List<String> numbers() {
        List<String> out = new ArrayList<>();
        for (Kind k : Kind.values()) {
            if (k.numeric()) {
                (self == null ? scenario.foreign(rank, k) : own(k)).forEach(b -> out.add(b.ref(viewer)));
            }
        }
        return out;
    }

    /** Events that some thread written before signals, and the exits of lower-ranked processes. */
    private List<String> awaitable() {
        List<String> out = new ArrayList<>(scenario.events);
        scenario.processes.stream().filter(p -> p.rank < rank && (p.parent == null || !p.threads.isEmpty()))
                .forEach(p -> out.add(p.name + ".exit"));
        return out;
    }

    /** A CPU address: one of the mappings the thread can name, plus 0, 4K or 8K. */
    private String address(int choice, int offset) {
        Binding p = ownOrForeign(Kind.PTR, choice);
        return p.ref(viewer) + value(OFFSETS, ODD_OFFSETS, offset);
    }

    private static String size(int choice) {
        return value(SIZES, ODD_SIZES, choice);
    }

    private static String va(int choice) {
        return value(GPU_VAS, ODD_GPU_VAS, choice);
    }

    /** One of {@code common}, or one time in eight one of {@code odd}. */
    private static String value(String[] common, String[] odd, int choice) {
        return choice % 8 == 7 ? odd[choice / 8 % odd.length] : common[choice / 8 % common.length];
    }
}
