package accelmm.scenario;

import accelmm.accel.UacceQfrt;
import accelmm.check.ExpectationFailed;
import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.Mmap;
import accelmm.mm.PageFrame;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import accelmm.sim.Cost;
import java.util.Locale;

/**
 * Runs the statements of one thread block as one actor. Each statement starts at a preemption
 * point; its result is checked against its {@code =>} outcomes (an unexpected one fails the
 * execution with an expectation failure) and bound to its name.
 */
final class ThreadInterpreter {

    /** Ends a thread whose process is exiting. Thrown only between kernel calls. */
    private static final class ThreadExit extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ThreadExit() {
            super(null, null, false, false);
        }
    }

    /** A statement's kernel-style result (>= 0, or a negative errno) and what its name binds to. */
    record Result(long ret, Bound value) {
        static Result of(long ret) {
            return new Result(ret, new Bound.Num(ret));
        }
    }

    private final World world;
    private final ProcessState self;
    private final ThreadBlock block;
    private final Evaluator eval;
    /** The preemption-point label of each statement of the body, by index. */
    private final String[] labels;

    ThreadInterpreter(World world, ProcessState self, ThreadBlock block, String[] labels) {
        this.world = world;
        this.self = self;
        this.block = block;
        this.labels = labels;
        this.eval = new Evaluator(world, self, block.qualifiedName(), this::exitIfExiting);
    }

    /**
     * Whether this thread still waits for its {@code after} event (it has not started). Set
     * before the thread's actor starts, then changed by the thread only; the world reads it.
     */
    boolean pending;
    /**
     * Set by the world's {@code init} when the event can no longer come: the thread never
     * starts. Under the world's thread state ({@link World#startCancelled}).
     */
    boolean cancelled;

    /** The event this thread starts after, or null. */
    String startEvent() {
        return block.afterEvent().orElse(null);
    }

    void run() {
        if (!self.isKernel()) {
            world.kernel.deferredFput().userThreadStarted();
        }
        try {
            if (pending) {
                String event = startEvent();
                world.changes.awaitAt(-1, () -> "event " + event + " to start " + block.qualifiedName(),
                        () -> self.exiting() || world.startCancelled(this) || world.signalled(event),
                        Topic.exiting(self.name), Topic.START_CANCELLED, Topic.signalled(event));
                if (world.startCancelled(this)) {
                    throw new ThreadExit();
                }
                exitIfExiting();
                world.threadStarted(this);
            }
            java.util.List<Statement> body = block.body();
            for (int i = 0; i < body.size(); i++) {
                Statement st = body.get(i);
                exitIfExiting();
                world.sim.atSourceLine(st.position().line());
                // Between statements the thread's future is the state and i: a state fingerprint may be taken.
                world.sim.preemptionPointAt(labels[i], i);
                exitIfExiting();
                stopIfTraced();
                execute(st);
                world.kernel.deferredFput().returnToUser();
            }
        } catch (ThreadExit e) {
            // The process is exiting, or the thread never started; it stops here.
        }
        world.threadEnded(this, self);
    }

    /**
     * A process that a tracer stopped (the SIGSTOP of PTRACE_ATTACH) stops each thread as it
     * returns to user space, here before its next statement, until the tracer detaches or exits;
     * an exit of the process (SIGKILL) still ends the thread. The stop is a line of the trace,
     * so that a schedule shows what stop-all costs the debuggee.
     */
    private void stopIfTraced() {
        if (self.isKernel() || self.exiting() || !world.ptrace.stopped(self.task)) {
            return;
        }
        world.sim.traceOperation(world.ptrace.stopReason(self.task), "");
        world.changes.await(() -> world.ptrace.stopReason(self.task),
                () -> self.exiting() || !world.ptrace.stopped(self.task), Topic.exiting(self.name), Topic.PTRACE_STOP);
        exitIfExiting();
    }

    private void exitIfExiting() {
        if (self.ends(this)) {
            throw new ThreadExit();
        }
    }

    private void execute(Statement st) {
        try {
            switch (st) {
                case Statement.Call call -> call(call);
                case Statement.ExpectValue e -> Expectations.expectValue(eval, e, where(st));
                case Statement.ExpectRead e -> Expectations.expectRead(eval, self.task, e, where(st));
            }
        } catch (ExpectationFailed e) {
            if (e.getMessage().startsWith(where(st))) {
                throw e;
            }
            throw new ExpectationFailed(where(st) + "`" + st.source() + "`: " + e.getMessage());
        }
    }

    private void call(Statement.Call c) {
        if (c.operation().syscall() && !self.isKernel()) {
            world.sim.costs().count(Cost.SYSCALL);
        }
        Result r = perform(c);
        if (world.sim.tracing() && !Devices.handles(c.operation())) {
            // Device statements are traced by the device model, with their resolved arguments.
            world.sim.traceOperation(traceText(c), r.ret() >= 0 ? describe(c, r) : Errno.describe(r.ret()));
        }
        if (r.ret() >= 0 ? !c.expected().success() : !c.expected().allows(Errno.ofReturn(r.ret()))) {
            throw new ExpectationFailed(where(c) + "`" + c.source() + "` returned " + Errno.describe(r.ret())
                    + ", expected " + c.expected());
        }
        c.binding().ifPresent(name -> eval.bind(name,
                r.ret() >= 0 ? r.value() : new Bound.Err(Errno.ofReturn(r.ret()))));
        if (c.operation() == Operation.EXIT) {
            throw new ThreadExit();
        }
    }

    /** The statement as a trace shows it: single spaces, without its {@code =>} part. */
    static String traceText(Statement.Call c) {
        String text = c.source().replaceAll("\\s+", " ");
        int arrow = text.indexOf("=>");
        return arrow > 0 ? text.substring(0, arrow).strip() : text;
    }

    private static String describe(Statement.Call c, Result r) {
        return switch (r.value()) {
            case Bound.Num n when c.binding().isEmpty() && n.value() == 0 -> "ok";
            case Bound.Num n when n.value() > 0xffff -> "0x" + Long.toHexString(n.value());
            case Bound.Num n -> Long.toString(n.value());
            case Bound.Bytes b -> b.data().length + " bytes";
            case Bound.Fields f when f.fields().get(Devices.MAP_INFO_CACHING) instanceof Bound.Word w ->
                    Devices.MAP_INFO_CACHING + "=" + w.word();
            default -> "ok";
        };
    }

    private String where(Statement st) {
        return world.scenario.fileName() + ":" + st.position().line() + ": ";
    }

    private Result perform(Statement.Call c) {
        Task task = self.task;
        return switch (c.operation()) {
            case FORK -> fork(c.word("child"));
            case EXEC -> {
                deThread();
                task.exec();
                yield Result.of(0);
            }
            case EXIT -> {
                self.setExiting(true);
                world.changes.changed(Topic.exiting(self.name));
                yield Result.of(0);
            }
            case MMAP -> Result.of(task.mmap(c.findScalar("at").map(eval::number).orElse(0L),
                    eval.number(c.scalar("size")), prot(c), c.hasFlag("shared"), c.findArg("at").isPresent(), -1, 0));
            case MMAP_FILE -> mmapFile(c);
            case MUNMAP -> Result.of(task.munmap(eval.number(c.scalar("addr")), eval.number(c.scalar("size"))));
            case MPROTECT -> Result.of(task.mprotect(eval.number(c.scalar("addr")), eval.number(c.scalar("size")),
                    prot(c)));
            case MADVISE -> Result.of(task.madvise(eval.number(c.scalar("addr")), eval.number(c.scalar("size")),
                    Mmap.Advice.valueOf(c.word("advice").toUpperCase(Locale.ROOT))));
            case WRITE -> {
                Evaluator.DataBytes data = eval.data(c.data("data"));
                yield Result.of(task.write(eval.number(c.scalar("addr")), data.bytes(), data.labels()));
            }
            case READ -> {
                byte[] out = new byte[Math.toIntExact(eval.number(c.scalar("count")))];
                int ret = task.read(eval.number(c.scalar("addr")), out);
                yield new Result(ret, new Bound.Bytes(out));
            }
            case CLOSE -> Result.of(task.close(eval.fd(c.scalar("fd"))));
            case SEND -> send(c);
            case RECV -> recv(c.word("name"));
            case SIGNAL -> {
                world.signal(c.word("event"));
                yield Result.of(0);
            }
            case AWAIT -> {
                awaitEvent(c.word("event"));
                yield Result.of(0);
            }
            case WAIT -> Result.of(world.devices.waitFence(eval.resolve(c.ref("f"))));
            case DMA_BUF_SYNC -> Result.of(Devices.dmaBufSync(task, eval.fd(c.scalar("db")), c.word("phase"),
                    c.word("access")));
            case DMA_BUF_INFO -> Devices.dmaBufInfo(self, eval.fd(c.scalar("db")));
            case MIGRATE, RECLAIM -> kernelMove(c);
            case EVICT -> Result.of(world.devices.evict(eval.resolve(c.ref("obj"))));
            case DEBUG_ATTACH -> Result.of(world.debug.attach(self, c.word("proc")));
            case DEBUG_READ_EVENT -> world.debug.readEvent(self, eval.fd(c.scalar("dbg")));
            case DEBUG_VM_OPEN -> Result.of(world.debug.vmOpen(self, eval.fd(c.scalar("dbg")), eval.number(c.scalar("vm"))));
            case DEBUG_VM_READ -> world.debug.vmRead(self, eval.fd(c.scalar("v")), eval.number(c.scalar("va")),
                    eval.number(c.scalar("size")));
            case DEBUG_VM_WRITE -> Result.of(world.debug.vmWrite(self, eval.fd(c.scalar("v")),
                    eval.number(c.scalar("va")), eval.data(c.data("data"))));
            case DEVCOREDUMP -> world.devices.devcoredump(c);
            case DEVCOREDUMP_READ -> world.devices.devcoredumpRead(c);
            case DEVCOREDUMP_DELETE -> world.devices.devcoredumpDelete(c);
            default -> world.devices.perform(c, self, eval);
        };
    }

    /**
     * {@code mmap FD SIZE ...}. A negative fd, or a number that is no {@code int}, fails as
     * {@code ksys_mmap_pgoff}'s {@code fget} does without MAP_ANONYMOUS, with EBADF (the model's
     * {@code Task.mmap} reads a negative fd as anonymous memory). {@code region=mmio|dus} is the
     * uacce region's page offset ({@code UACCE_QFRT_MMIO} 0, {@code UACCE_QFRT_DUS} 1), in place
     * of {@code offset=} (the parser refuses the two together).
     */
    private Result mmapFile(Statement.Call c) {
        long at = c.findScalar("at").map(eval::number).orElse(0L);
        long size = eval.number(c.scalar("size"));
        Prot prot = prot(c);
        int fd = eval.fd(c.scalar("fd"));
        long offset = c.findWord("region")
                .map(r -> UacceQfrt.valueOf(r.toUpperCase(Locale.ROOT)).pgoff() << PageFrame.PAGE_SHIFT)
                .orElseGet(() -> c.findScalar("offset").map(eval::number).orElse(0L));
        if (fd < 0) {
            return Result.of(Errno.EBADF.neg());
        }
        return Result.of(self.task.mmap(at, size, prot, true, c.findArg("at").isPresent(), fd, offset));
    }

    private Prot prot(Statement.Call c) {
        return c.findWord("prot").map(Prot::parse).orElse(Prot.READ_WRITE);
    }

    /**
     * {@code de_thread}, the first thing {@code begin_new_exec} does: the process's other threads
     * are ended ({@code zap_other_threads}: they stop as for {@code exit}, the kernel work they
     * are in completing first, and those still waiting for their start event never start), and
     * exec waits until they are gone. Only then come {@code unshare_files} (nothing to do: no
     * process of the model shares a file table), the new address space and the close-on-exec
     * walk, so no other thread of the process sees them half done. The wait is checked at every
     * change: an ending thread counts itself out before its exit work, which others may
     * interleave with.
     */
    private void deThread() {
        if (self.liveThreads() == 1) {
            return;
        }
        self.setGroupExecThread(this);
        self.setExiting(true);
        world.changes.changed(Topic.exiting(self.name));
        world.changes.await(() -> "the other threads of " + self.name + " to end (exec)", () -> self.liveThreads() == 1);
        self.setExiting(false);
        self.setGroupExecThread(null);
    }

    private Result fork(String childName) {
        Task child = self.task.fork(childName);
        ProcessState state = new ProcessState(world.sim, childName, child, self.caps, self);
        world.addProcess(state);
        world.changes.changed(Topic.exists(childName));
        world.startThreads(state);
        return Result.of(child.pid());
    }

    private Result send(Statement.Call c) {
        File file = self.task.fget(eval.fd(c.scalar("fd")));
        if (file == null) {
            return Result.of(Errno.EBADF.neg());
        }
        String target = c.word("proc");
        world.changes.await(() -> "process " + target + " to exist", () -> self.exiting() || world.process(target) != null,
                Topic.exiting(self.name), Topic.exists(target));
        if (self.exiting()) {
            file.put();
            throw new ThreadExit();
        }
        ProcessState receiver = world.process(target);
        if (receiver.exited()) {
            file.put();
        } else {
            receiver.deliver(c.word("name"), file);
            world.changes.changed(Topic.sent(target, c.word("name")));
        }
        return Result.of(0);
    }

    private Result recv(String name) {
        world.changes.await(() -> "a file sent as '" + name + "'", () -> self.exiting() || self.hasMail(name),
                Topic.exiting(self.name), Topic.sent(self.name, name));
        exitIfExiting();
        File file = self.takeMail(name);
        int fd = self.task.installFile(file, false);
        if (fd >= 0) {
            eval.bind(name, new Bound.Num(fd));
        }
        return Result.of(fd);
    }

    private void awaitEvent(String event) {
        world.changes.await(() -> "event " + event, () -> self.exiting() || world.signalled(event),
                Topic.exiting(self.name), Topic.signalled(event));
        exitIfExiting();
    }

    private Result kernelMove(Statement.Call c) {
        String target = c.word("proc");
        world.changes.await(() -> "process " + target + " to exist", () -> world.process(target) != null,
                Topic.exists(target));
        ProcessState p = world.process(target);
        long addr = eval.number(c.scalar("addr"));
        long size = eval.number(c.scalar("size"));
        // The process may exit at any point from here on: the mm layer holds its address space
        // for the walk, or finds it gone (0 pages).
        var migrate = world.kernel.migrate();
        return Result.of(c.operation() == Operation.MIGRATE ? migrate.migratePages(p.task, addr, size)
                : migrate.reclaimPages(p.task, addr, size));
    }
}
