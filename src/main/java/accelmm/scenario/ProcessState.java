package accelmm.scenario;

import accelmm.dmabuf.DmaBuf;
import accelmm.dmabuf.DmaBufMapInfo;
import accelmm.mm.File;
import accelmm.mm.Task;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A scenario process at run time: its task, the names its threads bound, the files sent to it,
 * and how many of its threads still run. The kernel's threads share a pseudo-process with no
 * task.
 *
 * <p>Every thread of the process, and threads of other processes (which resolve {@code A.p},
 * send files, wait for the exit), reach this state: it is behind {@link Shared}s, its live
 * threads, its life (exiting, exited), its names and its mailbox by name, and what it read with
 * {@code dma_buf_info}. The live threads are a piece of their own: a thread's end counts
 * itself out, which only an {@code exec} waiting for the others reads, while every statement
 * of every thread reads whether the process is exiting.
 */
final class ProcessState {

    final String name;
    final Task task;
    /** The capabilities the process holds: declared, or its parent's after {@code fork}. */
    final Set<ProcessDecl.Capability> caps;
    /** The process that forked this one, or null for a declared process (init's child). */
    final ProcessState parent;

    /** By name: threads that bind different names in either order (steps that commute) leave one state. */
    private final Map<String, Bound> bindings;
    /** Names copied from the parent at fork: this process may bind them again, once. */
    private final Set<String> inherited;
    /**
     * Files sent to this process and not received yet, by the name they were sent as, in order;
     * the names in name order: deliveries under different names commute, so their order must not
     * show.
     */
    private final Map<String, ArrayDeque<File>> mailbox = new TreeMap<>();
    private int liveThreads;
    /**
     * The process's threads are being ended, all but {@link #groupExecThread}: an {@code exit}
     * ran, or an {@code exec} waits for the others to go. They end at their next statement or
     * wake from a scenario-level wait and end.
     */
    private boolean exiting;
    /** {@code sig->group_exec_task}: the thread whose {@code exec} is ending the others, or null. */
    private ThreadInterpreter groupExecThread;
    private boolean exited;
    /**
     * What this process last read with {@code dma_buf_info}, per buffer: the VMM's memory of the
     * exporter's answer, which {@code guest-caching=from-info} maps a guest's view of the buffer
     * with. Not inherited across {@code fork}: the child has asked nothing yet.
     */
    private final Map<DmaBuf, DmaBufMapInfo> mapInfoRead = new LinkedHashMap<>();

    /** Exiting, group exec thread, exited. */
    private final Shared life;
    /** The live threads. */
    private final Shared threads;
    /** Bindings and inherited names, by {@link Topic#keyOf}. */
    private final Shared names;
    /** The mailbox, by {@link Topic#keyOf}. */
    private final Shared mail;
    private final Shared mapInfo;

    ProcessState(Simulation sim, String name, Task task, Set<ProcessDecl.Capability> caps, ProcessState parent) {
        this.name = name;
        this.task = task;
        this.caps = caps;
        this.parent = parent;
        this.bindings = parent == null ? new TreeMap<>() : new TreeMap<>(parent.bindings());
        this.inherited = new TreeSet<>(bindings.keySet());
        this.life = sim.shared("scenario process");
        this.threads = sim.shared("scenario process threads");
        this.names = sim.shared("scenario names");
        this.mail = sim.shared("scenario mailbox");
        this.mapInfo = sim.shared("dma-buf info read");
    }

    private static void read(Shared piece, String name) {
        long key = Topic.keyOf(name);
        piece.read(key, key + 1);
    }

    private static void write(Shared piece, String name) {
        long key = Topic.keyOf(name);
        piece.write(key, key + 1);
    }

    // ---- life ---------------------------------------------------------------------------------

    int liveThreads() {
        threads.read();
        return liveThreads;
    }

    void setLiveThreads(int n) {
        threads.write();
        liveThreads = n;
    }

    /** One thread fewer; returns how many are left. */
    int threadEnded() {
        threads.write();
        return --liveThreads;
    }

    boolean exiting() {
        life.read();
        return exiting;
    }

    void setExiting(boolean on) {
        life.write();
        exiting = on;
    }

    /** Whether {@code thread} is to end at its next statement: the process exits, and not by its {@code exec}. */
    boolean ends(ThreadInterpreter thread) {
        life.read();
        return exiting && groupExecThread != thread;
    }

    /** {@code de_thread}'s start ({@code thread} ends the others) or end ({@code null}). */
    void setGroupExecThread(ThreadInterpreter thread) {
        life.write();
        groupExecThread = thread;
    }

    boolean exited() {
        life.read();
        return exited;
    }

    void setExited() {
        life.write();
        exited = true;
    }

    /**
     * Whether the process is gone with its pid: it exited and was reaped. A declared process is
     * init's child, reaped as it exits; a forked child stays a zombie (its pid still resolves)
     * while its parent lives, since no scenario process waits for its children, and is reaped
     * once the parent exits and init inherits it.
     */
    boolean reaped() {
        return exited() && (parent == null || parent.exited());
    }

    boolean isKernel() {
        return task == null;
    }

    // ---- names --------------------------------------------------------------------------------

    /** Whether {@code name} is bound here (its own or inherited). */
    boolean bound(String name) {
        read(names, name);
        return bindings.containsKey(name);
    }

    /** What {@code name} is bound to, or null. */
    Bound binding(String name) {
        read(names, name);
        return bindings.get(name);
    }

    /** Every binding, read-only (a fork copies them; tests look at them). */
    Map<String, Bound> bindings() {
        names.read();
        return Collections.unmodifiableMap(bindings);
    }

    /**
     * Binds {@code name}. A name copied from the parent at fork may be bound again by the child,
     * as a C child assigns a variable it inherited; the parser refuses any other second binding.
     */
    void bind(String name, Bound value, String threadName) {
        write(names, name);
        if (inherited.remove(name)) {
            bindings.put(name, value);
        } else if (bindings.putIfAbsent(name, value) != null) {
            throw new IllegalStateException(threadName + " binds '" + name + "' twice");
        }
    }

    // ---- mailbox ------------------------------------------------------------------------------

    /** Whether a file sent as {@code name} waits here. */
    boolean hasMail(String name) {
        read(mail, name);
        return mailbox.containsKey(name);
    }

    /** Queues {@code file}, sent as {@code name}. */
    void deliver(String name, File file) {
        write(mail, name);
        mailbox.computeIfAbsent(name, n -> new ArrayDeque<>()).addLast(file);
    }

    /** Takes the first file sent as {@code name}; there is one ({@link #hasMail}). */
    File takeMail(String name) {
        write(mail, name);
        ArrayDeque<File> queue = mailbox.get(name);
        File file = queue.pollFirst();
        if (queue.isEmpty()) {
            mailbox.remove(name);
        }
        return file;
    }

    /** {@code exit_files} for the files still in the mailbox: each is put, in order, and the mailbox emptied. */
    void putAllMail() {
        mail.write();
        for (ArrayDeque<File> queue : mailbox.values()) {
            queue.forEach(File::put);
        }
        mailbox.clear();
    }

    // ---- dma_buf_info -------------------------------------------------------------------------

    /** Remembers what {@code dma_buf_info} answered for {@code buf}. */
    void mapInfoRead(DmaBuf buf, DmaBufMapInfo info) {
        mapInfo.write();
        mapInfoRead.put(buf, info);
    }

    /** What this process last read with {@code dma_buf_info} for {@code buf}, or null. */
    DmaBufMapInfo mapInfoRead(DmaBuf buf) {
        mapInfo.read();
        return mapInfoRead.get(buf);
    }
}
