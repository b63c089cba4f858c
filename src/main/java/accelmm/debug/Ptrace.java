package accelmm.debug;

import accelmm.mm.Errno;
import accelmm.mm.Gup;
import accelmm.mm.MemoryAccess;
import accelmm.mm.MmStruct;
import accelmm.mm.PageFrame;
import accelmm.mm.PhysicalMemory;
import accelmm.mm.Task;
import accelmm.mm.Through;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CPU-side debugger's primitives (kernel/ptrace.c, security/yama/yama_lsm.c): {@code
 * PTRACE_ATTACH}, which stops the whole target, {@code PTRACE_DETACH}, the tracer's exit, and the
 * accesses to the target's memory through {@code access_remote_vm} ({@code ptrace_access_vm},
 * {@code PTRACE_PEEKDATA} / {@code PTRACE_POKEDATA}).
 *
 * <p>Attach ({@code ptrace_attach}): a thread of the caller's own thread group is -EPERM; then
 * {@code __ptrace_may_access} in ATTACH_REALCREDS mode: the caller's real uid (and gid) equal to
 * the target's ids, or CAP_SYS_PTRACE (a model process has one uid for all its ids, and every
 * address space is dumpable); the capability check of {@code cap_ptrace_access_check}: the
 * target's capabilities within the caller's, or CAP_SYS_PTRACE; then Yama at scope 1
 * (YAMA_SCOPE_RELATIONAL, the model's fixed setting and the default of the common
 * distributions): the caller must be an ancestor of the target ({@code task_is_descendant}
 * over {@code real_parent}), or hold CAP_SYS_PTRACE; {@code PR_SET_PTRACER} exceptions are not
 * modelled. Every refusal is -EPERM, as is a target that has exited (a zombie) or is traced
 * already. A pid that names no process is -ESRCH.
 *
 * <p>Stop ({@code SIGSTOP} sent at attach): every thread of the target stops at its next return
 * to user space, and stays stopped until the tracer detaches or exits; an exit of the target
 * itself (SIGKILL) still ends its threads. Whoever runs the target's threads asks {@link
 * #stopped} before each user-space step and waits, naming {@link #stopReason}; {@code
 * onStateChange} tells it when a stop ends. The model takes the stop as done at attach: the
 * tracer's {@code waitpid} for it, and {@code ptrace_check_attach}'s wait for the thread to be
 * inactive, are implicit.
 *
 * <p>Memory: {@link #ptraceAccessVm} moves bytes through {@code access_remote_vm} with
 * FOLL_FORCE, on behalf of the tracer (its principal, {@link MemoryAccess.Via#PTRACE}); only the
 * tracer of a target may, as {@code ptrace_access_vm} checks. {@link #processVmReadv} reads
 * without an attachment, through {@code pin_user_pages_remote} only. Not modelled: the other
 * requests (registers, PTRACE_CONT and signal injection, PTRACE_SEIZE), {@code
 * process_vm_writev}, several iovecs.
 */
public final class Ptrace {

    private final Runnable onStateChange;
    /** {@code task->parent} of the traced processes, by the tracee's pid: ordered, so nothing depends on hashing. */
    private final Map<Integer, Task> tracerOf = new TreeMap<>();

    /**
     * Who traces whom, by the tracee's pid: attaches and detaches change the tracee's entry, a
     * tracer's exit reads them all and changes those it traced; a thread's stop check reads its
     * own process's entry, so unrelated exits commute with it.
     */
    private final Shared shared;

    /** {@code onStateChange}: called when a tracee's stop ends, so that its threads re-check {@link #stopped}. */
    public Ptrace(Simulation sim, Runnable onStateChange) {
        this.onStateChange = onStateChange;
        this.shared = sim.shared("ptrace");
    }

    /**
     * {@code PTRACE_ATTACH} by {@code tracer} ({@code tracerCapSysPtrace}: it holds CAP_SYS_PTRACE;
     * {@code traceeCapsWithinTracers}: every capability the tracee holds, the tracer holds too) of
     * {@code tracee}, null when the pid names no process: 0, -EPERM or -ESRCH. On success the
     * tracee is stopped.
     */
    public int attach(Task tracer, boolean tracerCapSysPtrace, Task tracee, boolean traceeCapsWithinTracers) {
        if (tracee == null) {
            return Errno.ESRCH.neg();
        }
        if (tracer == tracee) {
            return Errno.EPERM.neg(); // same_thread_group
        }
        if (!ptraceMayAccessAttachRealcreds(tracer, tracerCapSysPtrace, tracee, traceeCapsWithinTracers)) {
            return Errno.EPERM.neg();
        }
        shared.write(tracee.pid(), tracee.pid() + 1L);
        if (tracee.exited() || tracerOf.containsKey(tracee.pid())) {
            return Errno.EPERM.neg(); // task->exit_state, task->ptrace
        }
        tracerOf.put(tracee.pid(), tracer);
        return 0;
    }

    /**
     * {@code __ptrace_may_access(tracee, PTRACE_MODE_ATTACH_REALCREDS)} with the LSMs the model
     * loads: commoncap's {@code cap_ptrace_access_check} and Yama at scope 1 ({@code
     * yama_ptrace_access_check}).
     */
    static boolean ptraceMayAccessAttachRealcreds(Task tracer, boolean tracerCapSysPtrace, Task tracee,
            boolean traceeCapsWithinTracers) {
        if (tracer.uid() != tracee.uid() && !tracerCapSysPtrace) {
            return false;
        }
        if (!traceeCapsWithinTracers && !tracerCapSysPtrace) {
            return false;
        }
        return tracerCapSysPtrace || taskIsDescendant(tracer, tracee);
    }

    /**
     * {@code task_is_descendant} (yama_lsm.c): whether {@code ancestor} is {@code child} or one
     * of its ancestors, walking {@code real_parent} up to init.
     */
    static boolean taskIsDescendant(Task ancestor, Task child) {
        for (Task walker = child; walker != null; walker = walker.realParent()) {
            if (walker == ancestor) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code PTRACE_DETACH} with signal 0 by {@code tracer}: 0 and the tracee resumes, or -ESRCH
     * when {@code tracer} does not trace it ({@code ptrace_check_attach}).
     */
    public int detach(Task tracer, Task tracee) {
        if (tracee == null || tracer(tracee) != tracer) {
            return Errno.ESRCH.neg();
        }
        shared.write(tracee.pid(), tracee.pid() + 1L);
        tracerOf.remove(tracee.pid());
        onStateChange.run();
        return 0;
    }

    /**
     * {@code exit_ptrace}: the tracer exits and its tracees are detached and resume. (Linux may
     * leave a tracee whose attach SIGSTOP the tracer never let it take in a group stop, to be
     * continued by SIGCONT; the model has no SIGCONT and resumes it.)
     */
    public void exitPtrace(Task tracer) {
        shared.read();
        boolean detached = false;
        for (var it = tracerOf.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (entry.getValue() == tracer) {
                shared.write(entry.getKey(), entry.getKey() + 1L);
                it.remove();
                detached = true;
            }
        }
        if (detached) {
            onStateChange.run();
        }
    }

    /** Whether {@code task}'s threads are stopped by a tracer: they wait before their next user-space step. */
    public boolean stopped(Task task) {
        shared.read(task.pid(), task.pid() + 1L);
        return tracerOf.containsKey(task.pid());
    }

    /** The tracer of {@code task}, or null. */
    public Task tracer(Task task) {
        shared.read(task.pid(), task.pid() + 1L);
        return tracerOf.get(task.pid());
    }

    /** What a stopped thread waits for, for schedules and deadlock reports: {@code stopped by ptrace from D}. */
    public String stopReason(Task task) {
        Task tracer = tracer(task);
        return "stopped by ptrace from " + (tracer == null ? "nobody" : tracer.name());
    }

    /**
     * {@code ptrace_access_vm}: {@code access_remote_vm} with FOLL_FORCE into {@code tracee}'s
     * address space on behalf of {@code tracer}, which must be its tracer: the bytes moved, 0 when
     * {@code tracer} does not trace it or it has no address space any more. {@code labels}: the
     * secret labels of a write's bytes, or null.
     */
    public int ptraceAccessVm(Task tracer, Task tracee, long address, byte[] buf, int[] labels, boolean write) {
        if (tracer(tracee) != tracer) {
            return 0;
        }
        MmStruct mm = tracee.getTaskMm();
        if (mm == null) {
            return 0;
        }
        try {
            return tracee.kernel().remoteVm().accessRemoteVm(mm, tracer.principal(), MemoryAccess.Via.PTRACE, address,
                    buf, labels, write);
        } finally {
            mm.mmput();
        }
    }

    /**
     * {@code process_vm_readv} of one local and one remote iovec ({@code process_vm_rw_core},
     * mm/process_vm_access.c) by {@code caller} of {@code target}'s bytes at {@code address} into
     * {@code out}: no attachment needed, but {@code mm_access} asks the ATTACH_REALCREDS test
     * above, Yama included, and its -EACCES becomes -EPERM; a target that is gone or has no
     * address space is -ESRCH. The pages are pinned with {@code pin_user_pages_remote}, without
     * FOLL_FORCE and without an access hook: a VM_IO / VM_PFNMAP mapping (a GEM or dma-buf mmap),
     * a hole or a page without read permission ends the copy there. Returns the bytes read, or
     * -EFAULT when that is none. Each page's part is reported as {@code caller}'s access.
     */
    public long processVmReadv(Task caller, boolean callerCapSysPtrace, Task target, boolean targetCapsWithinCallers,
            long address, byte[] out) {
        if (target == null) {
            return Errno.ESRCH.neg();
        }
        if (caller != target
                && !ptraceMayAccessAttachRealcreds(caller, callerCapSysPtrace, target, targetCapsWithinCallers)) {
            return Errno.EPERM.neg();
        }
        MmStruct mm = target.getTaskMm();
        if (mm == null) {
            return Errno.ESRCH.neg();
        }
        try {
            int done = readPinned(caller, mm, address, out);
            return done > 0 || out.length == 0 ? done : Errno.EFAULT.neg();
        } finally {
            mm.mmput();
        }
    }

    /** {@code process_vm_rw_pages}, a page at a time: the bytes copied before the first page that cannot be pinned. */
    private static int readPinned(Task caller, MmStruct mm, long address, byte[] out) {
        PhysicalMemory memory = caller.kernel().physicalMemory();
        PageFrame[] page = new PageFrame[1];
        int done = 0;
        while (done < out.length) {
            long at = address + done;
            if (caller.kernel().gup().pinUserPagesUnlocked(mm, at, 1, false, false, page) != 1) {
                break;
            }
            int offset = (int) (at & (PageFrame.PAGE_SIZE - 1));
            int chunk = Math.min(out.length - done, PageFrame.PAGE_SIZE - offset);
            memory.read(caller.principal(), MemoryAccess.Via.PTRACE, PhysicalMemory.FrameRef.of(page[0]), offset, out,
                    done, chunk, new Through("process_vm_readv", at), false);
            Gup.unpinUserPages(page, 1);
            done += chunk;
        }
        return done;
    }

    /** The size of a {@code PTRACE_PEEKDATA} word on x86-64. */
    public static final int WORD = Long.BYTES;

    /**
     * {@code PTRACE_PEEKDATA} ({@code generic_ptrace_peekdata}): the word at {@code address} into
     * {@code out} ({@link #WORD} bytes): 0, -ESRCH when {@code tracer} does not trace {@code
     * tracee}, or -EIO when fewer bytes could be read.
     */
    public int peekData(Task tracer, Task tracee, long address, byte[] out) {
        return word(tracer, tracee, address, out, false);
    }

    /** {@code PTRACE_POKEDATA} ({@code generic_ptrace_pokedata}): as {@link #peekData}, storing {@code data}. */
    public int pokeData(Task tracer, Task tracee, long address, byte[] data) {
        return word(tracer, tracee, address, data, true);
    }

    private int word(Task tracer, Task tracee, long address, byte[] buf, boolean write) {
        if (buf.length != WORD) {
            throw new IllegalArgumentException("a ptrace word is " + WORD + " bytes, not " + buf.length);
        }
        if (tracer(tracee) != tracer) {
            return Errno.ESRCH.neg();
        }
        return ptraceAccessVm(tracer, tracee, address, buf, null, write) == WORD ? 0 : Errno.EIO.neg();
    }
}
