package accelmm.scenario;

import accelmm.dmabuf.DmaBuf;
import accelmm.dmabuf.DmaBufMapInfo;
import accelmm.mm.File;
import accelmm.mm.Task;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A scenario process at run time: its task, the names its threads bound, the files sent to it,
 * and how many of its threads still run. The kernel's threads share a pseudo-process with no
 * task.
 */
final class ProcessState {

    final String name;
    final Task task;
    final Map<String, Bound> bindings;
    /** The capabilities the process holds: declared, or its parent's after {@code fork}. */
    final Set<ProcessDecl.Capability> caps;
    /** Files sent to this process and not received yet, by the name they were sent as, in order. */
    final Map<String, ArrayDeque<File>> mailbox = new LinkedHashMap<>();
    /** Names copied from the parent at fork: this process may bind them again, once. */
    final Set<String> inherited;
    int liveThreads;
    /**
     * The process's threads are being ended, all but {@link #groupExecThread}: an {@code exit}
     * ran, or an {@code exec} waits for the others to go. They end at their next statement or
     * wake from a scenario-level wait and end.
     */
    boolean exiting;
    /** {@code sig->group_exec_task}: the thread whose {@code exec} is ending the others, or null. */
    ThreadInterpreter groupExecThread;
    boolean exited;
    /** The process that forked this one, or null for a declared process (init's child). */
    ProcessState parent;
    /**
     * What this process last read with {@code dma_buf_info}, per buffer: the VMM's memory of the
     * exporter's answer, which {@code guest-caching=from-info} maps a guest's view of the buffer
     * with. Not inherited across {@code fork}: the child has asked nothing yet.
     */
    final Map<DmaBuf, DmaBufMapInfo> mapInfoRead = new LinkedHashMap<>();

    ProcessState(String name, Task task, Set<ProcessDecl.Capability> caps, Map<String, Bound> inherited) {
        this.name = name;
        this.task = task;
        this.caps = caps;
        this.bindings = new LinkedHashMap<>(inherited);
        this.inherited = new LinkedHashSet<>(inherited.keySet());
    }

    /**
     * Whether the process is gone with its pid: it exited and was reaped. A declared process is
     * init's child, reaped as it exits; a forked child stays a zombie (its pid still resolves)
     * while its parent lives, since no scenario process waits for its children, and is reaped
     * once the parent exits and init inherits it.
     */
    boolean reaped() {
        return exited && (parent == null || parent.exited);
    }

    boolean isKernel() {
        return task == null;
    }
}
