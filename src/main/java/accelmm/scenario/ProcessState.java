package accelmm.scenario;

import accelmm.mm.File;
import accelmm.mm.Task;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scenario process at run time: its task, the names its threads bound, the files sent to it,
 * and how many of its threads still run. The kernel's threads share a pseudo-process with no
 * task.
 */
final class ProcessState {

    final String name;
    final Task task;
    final Map<String, Bound> bindings;
    final Map<String, File> mailbox = new LinkedHashMap<>();
    int liveThreads;
    /** An {@code exit} was executed: the other threads end at their next statement. */
    boolean exiting;
    boolean exited;

    ProcessState(String name, Task task, Map<String, Bound> inherited) {
        this.name = name;
        this.task = task;
        this.bindings = new LinkedHashMap<>(inherited);
    }

    boolean isKernel() {
        return task == null;
    }
}
