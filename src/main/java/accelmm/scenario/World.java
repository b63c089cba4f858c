package accelmm.scenario;

import accelmm.check.AccessChecks;
import accelmm.check.LookupChecks;
import accelmm.check.RunResult;
import accelmm.check.RunVerdicts;
import accelmm.check.Secrets;
import accelmm.check.Violation;
import accelmm.debug.Ptrace;
import accelmm.mm.File;
import accelmm.mm.Kernel;
import accelmm.mm.Task;
import accelmm.sim.Outcome;
import accelmm.sim.Simulation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    final Secrets secrets = new Secrets();
    final Changes changes;
    final Devices devices;
    final DebugStatements debug;
    /** The ptrace links between processes and the stops they impose ({@link ThreadInterpreter} honours them). */
    final Ptrace ptrace;
    final Map<String, ProcessState> processes = new LinkedHashMap<>();
    final Set<String> signalled = new LinkedHashSet<>();
    /** Threads waiting for their {@code after} event. */
    private final List<ThreadInterpreter> pending = new ArrayList<>();
    /** Scenario threads started and not yet ended. */
    private int runningThreads;
    private boolean initSpawned;

    private final List<String[]> statementLabels;

    /** A world run by {@code sim}, which has not run yet. */
    World(Scenario scenario, ScenarioModel.Prepared prepared, Simulation sim) {
        this.scenario = scenario;
        this.statementLabels = prepared.statementLabels();
        this.sim = sim;
        this.kernel = new Kernel(sim, prepared.designs());
        this.changes = new Changes(sim);
        this.ptrace = new Ptrace(sim, changes::changed);
        kernel.deferredFput().trackContexts();
        kernel.physicalMemory().addObserver(new AccessChecks(sim, secrets));
        this.devices = new Devices(this);
        this.debug = new DebugStatements(this);
        devices.addLookupObserver(new LookupChecks(sim));
        processes.put(KERNEL, new ProcessState(KERNEL, null, Set.of(), Map.of()));
        for (ProcessDecl p : scenario.processes()) {
            Task task = kernel.createProcess(p.name(), p.uid());
            processes.put(p.name(), new ProcessState(p.name(), task, p.caps(), Map.of()));
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
     */
    private void cancelUnstartable() {
        while (true) {
            changes.await("threads waiting for start events", () -> runningThreads == 0 && !unstartable().isEmpty());
            for (ThreadInterpreter t : unstartable()) {
                t.cancelled = true;
            }
            changes.changed();
        }
    }

    private List<ThreadInterpreter> unstartable() {
        List<ThreadInterpreter> out = new ArrayList<>();
        for (ThreadInterpreter t : pending) {
            if (t.cancelled || signalled.contains(t.startEvent())) {
                return List.of();
            }
            out.add(t);
        }
        return out;
    }

    /**
     * Runs the execution to its end and judges it. The counters go to the result as they are:
     * the simulation is discarded after the run.
     */
    RunResult run() {
        Outcome outcome = sim.run();
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
        process.liveThreads = blocks.size();
        for (int i = 0; i < blocks.size(); i++) {
            ThreadBlock t = blocks.get(i);
            ThreadInterpreter interpreter = new ThreadInterpreter(this, process, t, labels.get(i));
            if (t.afterEvent().isPresent()) {
                interpreter.pending = true;
                pending.add(interpreter);
                if (!initSpawned) {
                    initSpawned = true;
                    sim.spawnDaemon("init", this::cancelUnstartable);
                }
            } else {
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
        thread.pending = false;
        pending.remove(thread);
        runningThreads++;
    }

    /** Called by each thread of {@code process} as it ends (started or not). */
    void threadEnded(ThreadInterpreter thread, ProcessState process) {
        if (thread.pending) {
            pending.remove(thread);
        } else {
            runningThreads--;
        }
        if (--process.liveThreads == 0 && !process.isKernel()) {
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
        process.exiting = true;
        process.task.exit();
        for (var queue : process.mailbox.values()) {
            queue.forEach(File::put);
        }
        process.mailbox.clear();
        if (byOwnThread) {
            kernel.deferredFput().exitTaskWork();
        }
        ptrace.exitPtrace(process.task); // exit_notify, after exit_files
        process.exited = true;
        signal(process.name + ".exit");
    }

    void signal(String event) {
        signalled.add(event);
        changes.changed();
    }

    /** The process named {@code name}, or null if it does not exist (yet). */
    ProcessState process(String name) {
        return processes.get(name);
    }
}
