package accelmm.scenario;

import accelmm.check.AccessChecks;
import accelmm.check.Leak;
import accelmm.check.LookupChecks;
import accelmm.check.RunResult;
import accelmm.check.RunVerdicts;
import accelmm.check.Secrets;
import accelmm.check.Violation;
import accelmm.debug.Ptrace;
import accelmm.dmabuf.DmaBuf;
import accelmm.mm.File;
import accelmm.mm.Kernel;
import accelmm.mm.MmStruct;
import accelmm.mm.MmuIntervalNotifier;
import accelmm.mm.MmuNotifierSubscriptions;
import accelmm.mm.Task;
import accelmm.sim.ObjectGraph;
import accelmm.sim.Outcome;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One execution of a scenario under one design combination: a fresh simulated machine (kernel,
 * devices), the scenario's processes, and one actor per thread block.
 *
 * <p>Process lifetime follows Linux: a process ends when its last thread ends, or when one of
 * its threads runs {@code exit} — then its other threads stop at their next statement (or wake
 * from a scenario-level wait), as threads do when a fatal signal reaches them on their way back
 * to user space; the kernel work they are in the middle of completes first. {@code exec} ends
 * them the same way and waits until they are gone before it replaces the address space and
 * closes the close-on-exec descriptors ({@code de_thread}); the exec'ing thread goes on. The
 * last thread out tears the process down ({@code exit_mm}, {@code exit_files}) and signals
 * {@code PROC.exit}.
 * A forked child starts its own thread blocks at the fork, with a copy of the parent's names;
 * a child with no thread blocks exits at once.
 */
final class World {

    static final String KERNEL = ThreadBlock.KERNEL;

    final Scenario scenario;
    final Simulation sim;
    final Kernel kernel;
    final Secrets secrets;
    final Changes changes;
    final Devices devices;
    final DebugStatements debug;
    /** The ptrace links between processes and the stops they impose ({@link ThreadInterpreter} honours them). */
    final Ptrace ptrace;
    private final Map<String, ProcessState> processes = new LinkedHashMap<>();
    private final Set<String> signalled = new TreeSet<>();
    /** Threads waiting for their {@code after} event. */
    private final List<ThreadInterpreter> pending = new ArrayList<>();
    /** Scenario threads started and not yet ended. */
    private int runningThreads;
    private boolean initSpawned;
    /** {@link #processes}, by the name's hash. */
    private final Shared processTable;
    /** {@link #signalled}, by the event's hash. */
    private final Shared events;
    /**
     * {@link #pending}, {@link #runningThreads}, {@link #initSpawned} and the threads' {@code
     * pending} and {@code cancelled} flags: what the {@code init} daemon reads. Counting a thread
     * in or out commutes with counting another ({@link Shared#add}).
     */
    private final Shared threadState;

    private final List<String[]> statementLabels;

    /** A world run by {@code sim}, which has not run yet. */
    World(Scenario scenario, ScenarioModel.Prepared prepared, Simulation sim) {
        this.scenario = scenario;
        this.statementLabels = prepared.statementLabels();
        this.sim = sim;
        this.kernel = new Kernel(sim, prepared.designs());
        this.processTable = sim.shared("scenario processes");
        this.events = sim.shared("scenario events");
        this.threadState = sim.shared("scenario threads");
        this.secrets = new Secrets(sim);
        this.changes = new Changes(sim);
        this.ptrace = new Ptrace(sim, () -> changes.changed(Topic.PTRACE_STOP));
        kernel.deferredFput().trackContexts();
        kernel.physicalMemory().addObserver(new AccessChecks(sim, secrets));
        this.devices = new Devices(this);
        this.debug = new DebugStatements(this, prepared.usesDebugger());
        devices.addLookupObserver(new LookupChecks(sim));
        addProcess(new ProcessState(sim, KERNEL, null, Set.of(), null));
        for (ProcessDecl p : scenario.processes()) {
            Task task = kernel.createProcess(p.name(), p.uid());
            addProcess(new ProcessState(sim, p.name(), task, p.caps(), null));
        }
        for (ProcessDecl p : scenario.processes()) {
            startThreads(processes.get(p.name()));
        }
        startThreads(processes.get(KERNEL));
    }

    /**
     * The {@code init} daemon: when no started thread is left and no awaited start event has
     * been signalled, nothing can signal one any more — the waiting threads never start and
     * their processes exit. (Not a deadlock: {@code after EVENT} means "if EVENT happens".)
     * It waits on every change: a thread's end counts it out before the exit work that follows.
     */
    private void cancelUnstartable() {
        while (true) {
            changes.awaitAt(0, () -> "threads waiting for start events", () -> {
                threadState.read();
                return runningThreads == 0 && !unstartable().isEmpty();
            });
            threadState.write();
            for (ThreadInterpreter t : unstartable()) {
                t.cancelled = true;
            }
            changes.changed(Topic.START_CANCELLED);
        }
    }

    private List<ThreadInterpreter> unstartable() {
        threadState.read();
        List<ThreadInterpreter> out = new ArrayList<>();
        for (ThreadInterpreter t : pending) {
            if (t.cancelled || signalled(t.startEvent())) {
                return List.of();
            }
            out.add(t);
        }
        return out;
    }

    /**
     * What a reader following a run needs of its state (for {@code replay --show}), one line per
     * object: each mm's notifier sequence and its interval notifiers' ({@code invalidate_seq}),
     * the frames in use with their counts, the open files with their references, and the device
     * objects alive with what holds each, a mapping with the frames it points at ({@code gpu ptes
     * -> pfn 1..4}). Only reads the model.
     */
    List<String> stateView() {
        List<String> out = new ArrayList<>();
        for (MmStruct mm : kernel.mms()) {
            MmuNotifierSubscriptions subs = mm.notifierSubscriptions();
            if (subs == null) {
                continue;
            }
            out.add(mm + ": notifier seq " + subs.invalidateSeq() + (subs.isInvalidating() ? ", invalidating" : ""));
            for (MmuIntervalNotifier n : subs.subscriptions()) {
                out.add(mm + " " + n + " [0x" + Long.toHexString(n.start()) + ", 0x" + Long.toHexString(n.last())
                        + "]: seq " + n.seq());
            }
        }
        out.addAll(Leak.frames(kernel.physicalMemory().frames()));
        for (File f : kernel.openFiles()) {
            out.add(f + ": " + f.refCount() + (f.refCount() == 1 ? " reference" : " references"));
        }
        out.addAll(devices.shownObjects());
        return out;
    }

    /**
     * Who holds whom now, for a report's graph at the end of a traced run: the processes, their
     * mms and files ({@link Kernel#addTo}), every dma-buf with its attachments and what it holds
     * of its exporter, and the devices' objects with the frames behind them. Only reads.
     */
    ObjectGraph objectGraph() {
        ObjectGraph graph = new ObjectGraph();
        kernel.addTo(graph);
        for (File f : kernel.openFiles()) {
            DmaBuf buf = DmaBuf.ofFile(f);
            if (buf != null) {
                buf.addTo(graph);
            }
        }
        devices.addTo(graph);
        return graph;
    }

    /**
     * Runs the execution to its end and judges it. The counters go to the result as they are:
     * the simulation is discarded after the run.
     */
    RunResult run() {
        Outcome outcome = sim.run();
        if (sim.tracing()) {
            sim.recordObjectsAtEnd(objectGraph());
        }
        Violation violation = RunVerdicts.judge(sim, kernel, outcome, devices.liveObjects());
        return new RunResult(outcome, violation, sim.schedule(), sim.trace(), sim.steps(), sim.costs());
    }

    /** Spawns an actor for each thread block of {@code process}; a process with none exits. */
    void startThreads(ProcessState process) {
        List<ThreadBlock> blocks = new ArrayList<>();
        List<String[]> labels = new ArrayList<>();
        List<ThreadBlock> threads = scenario.threads();
        for (int i = 0; i < threads.size(); i++) {
            ThreadBlock t = threads.get(i);
            if (t.process().equals(process.name)) {
                blocks.add(t);
                labels.add(statementLabels.get(i));
            }
        }
        process.setLiveThreads(blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            ThreadBlock t = blocks.get(i);
            ThreadInterpreter interpreter = new ThreadInterpreter(this, process, t, labels.get(i));
            if (t.afterEvent().isPresent()) {
                threadState.write();
                interpreter.pending = true;
                pending.add(interpreter);
                if (!initSpawned) {
                    initSpawned = true;
                    sim.spawnDaemon("init", this::cancelUnstartable);
                }
            } else {
                threadState.add();
                runningThreads++;
            }
            sim.spawn(t.qualifiedName(), interpreter::run);
        }
        if (blocks.isEmpty() && !process.isKernel()) {
            exitProcess(process, false);
        }
    }

    /** A thread's start event came. */
    void threadStarted(ThreadInterpreter thread) {
        threadState.write();
        thread.pending = false;
        pending.remove(thread);
        runningThreads++;
    }

    /** Called by each thread of {@code process} as it ends (started or not). */
    void threadEnded(ThreadInterpreter thread, ProcessState process) {
        if (thread.pending) {
            threadState.write();
            pending.remove(thread);
        } else {
            threadState.add();
            runningThreads--;
        }
        if (process.threadEnded() == 0 && !process.isKernel()) {
            exitProcess(process, true);
        } else if (!process.isKernel()) {
            kernel.deferredFput().exitTaskWork();
        }
        changes.changed();
    }

    /**
     * {@code do_exit} of the process's last thread ({@code byOwnThread}), or of a process that
     * never had a thread, ended by whoever created it: {@code exit_mm}, {@code exit_files}, then
     * {@code exit_task_work} (the releases of the files those dropped), then {@code exit_notify}.
     */
    private void exitProcess(ProcessState process, boolean byOwnThread) {
        // No thread of the process is left to wait for this: nothing to wake.
        process.setExiting(true);
        process.task.exit();
        process.putAllMail();
        if (byOwnThread) {
            kernel.deferredFput().exitTaskWork();
        }
        ptrace.exitPtrace(process.task); // exit_notify, after exit_files
        process.setExited();
        signal(process.name + ".exit");
    }

    void signal(String event) {
        long key = Topic.keyOf(event);
        events.write(key, key + 1);
        signalled.add(event);
        changes.changed(Topic.signalled(event));
    }

    /** Whether {@code event} has been signalled. */
    boolean signalled(String event) {
        long key = Topic.keyOf(event);
        events.read(key, key + 1);
        return signalled.contains(event);
    }

    /** Whether the thread's start was given up: its start event can no longer come. */
    boolean startCancelled(ThreadInterpreter thread) {
        threadState.read();
        return thread.cancelled;
    }

    /** The process named {@code name}, or null if it does not exist (yet). */
    ProcessState process(String name) {
        long key = Topic.keyOf(name);
        processTable.read(key, key + 1);
        return processes.get(name);
    }

    /** A new process ({@code fork}, or one declared); its threads wait for {@link Topic#exists}. */
    void addProcess(ProcessState process) {
        long key = Topic.keyOf(process.name);
        processTable.write(key, key + 1);
        processes.put(process.name, process);
    }
}
