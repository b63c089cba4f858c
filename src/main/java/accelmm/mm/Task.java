package accelmm.mm;

import accelmm.sim.Shared;

/**
 * Models a process (a thread group led by a {@code task_struct}) as the mm and file layers see
 * it: a pid, credentials, an address space and a file table, with the process-level system
 * calls that act on them. Threads of the process are actors of the simulation that call these
 * methods; the task itself is not an actor.
 *
 * <p>Shared state ({@code shared}), in two entries: the address space and the exit flag
 * ({@code STATE}), which any thread of the process reaches, and the parent link ({@code
 * PARENT}), which an exiting parent rewrites and a ptrace ancestry check reads. Apart, a
 * process's exit, which walks every process's parent link, commutes with what other processes
 * do to their own address spaces and with their own exits.
 */
public final class Task {

    private static final long STATE = 0;
    private static final long PARENT = 1;

    private final Kernel kernel;
    private final int pid;
    private final String name;
    private final int uid;
    private final Principal principal;
    private MmStruct mm;
    private final FdTable files;
    private final Shared shared;
    private boolean exited;
    /** {@code real_parent}: the process that forked this one, or null for init (a declared process, or an orphan). */
    private Task realParent;

    Task(Kernel kernel, int pid, String name, int uid, MmStruct mm, FdTable files) {
        this.kernel = kernel;
        this.pid = pid;
        this.name = name;
        this.uid = uid;
        this.principal = new Principal(name);
        this.mm = mm;
        this.files = files;
        this.shared = kernel.sim().shared("process");
    }

    public int pid() {
        return pid;
    }

    public String name() {
        return name;
    }

    public int uid() {
        return uid;
    }

    /** Whom this process's own accesses are made on behalf of. */
    public Principal principal() {
        return principal;
    }

    /** The current address space; {@code null} after exit. */
    public MmStruct mm() {
        shared.read(STATE, STATE + 1);
        return mm;
    }

    /**
     * {@code get_task_mm}: the address space with a user reference ({@code mmget}) that the caller
     * drops with {@link MmStruct#mmput}, or {@code null} once the process has exited ({@code
     * exit_mm} cleared {@code task->mm}). Whoever works on another process's memory from outside it
     * (a kernel thread, {@code process_madvise}, {@code move_pages}) goes through this, so that the
     * address space cannot be torn down under it: the owner's exit then only drops its own
     * reference, and the last {@code mmput} tears the address space down.
     */
    public MmStruct getTaskMm() {
        shared.read(STATE, STATE + 1);
        if (mm == null) {
            return null;
        }
        mm.mmget();
        return mm;
    }

    /**
     * {@code task->real_parent}: the process that forked this one while it lives, else null for
     * init, which adopts a declared process and every orphan ({@code forget_original_parent}; the
     * model has no subreapers).
     */
    public Task realParent() {
        shared.read(PARENT, PARENT + 1);
        return realParent;
    }

    public FdTable files() {
        return files;
    }

    public boolean exited() {
        shared.read(STATE, STATE + 1);
        return exited;
    }

    public Kernel kernel() {
        return kernel;
    }

    /** {@code mmap}: see {@link Mmap#mmap}. {@code fd} is -1 for anonymous memory; -EBADF if it is not open. */
    public long mmap(long addr, long length, Prot prot, boolean shared, boolean fixed, int fd, long offset) {
        this.shared.read(STATE, STATE + 1);
        File file = null;
        if (fd >= 0) {
            file = files.lookup(fd);
            if (file == null) {
                return Errno.EBADF.neg();
            }
        }
        return kernel.mmapOps().mmap(mm, addr, length, prot, shared, fixed, file, offset);
    }

    public int munmap(long addr, long length) {
        shared.read(STATE, STATE + 1);
        return kernel.mmapOps().munmap(mm, addr, length);
    }

    public int mprotect(long addr, long length, Prot prot) {
        shared.read(STATE, STATE + 1);
        return kernel.mmapOps().mprotect(mm, addr, length, prot);
    }

    public int madvise(long addr, long length, Mmap.Advice advice) {
        shared.read(STATE, STATE + 1);
        return kernel.mmapOps().madvise(mm, addr, length, advice);
    }

    /** A CPU store by this process: 0 or -EFAULT. */
    public int write(long addr, byte[] data, int[] labels) {
        return kernel.uaccess().store(this, addr, data, labels);
    }

    /** A CPU load by this process: 0 or -EFAULT. */
    public int read(long addr, byte[] out) {
        return kernel.uaccess().load(this, addr, out);
    }

    /**
     * {@code fget}: the file behind {@code fd} with a new reference the caller owns, or
     * {@code null} for a bad fd. Passing an fd to another process (SCM_RIGHTS) is {@code fget}
     * in the sender and {@link #installFile} in the receiver; the reference in between is the
     * one the message carries.
     */
    public File fget(int fd) {
        File file = files.lookup(fd);
        if (file != null) {
            file.get();
        }
        return file;
    }

    /** {@code fd_install} of a file whose reference the caller hands over: the new fd, or -EMFILE. */
    public int installFile(File file, boolean cloexec) {
        int fd = files.install(file, cloexec);
        if (fd < 0) {
            file.put();
        }
        return fd;
    }

    /** {@code close(fd)}. */
    public int close(int fd) {
        return files.close(fd);
    }

    /**
     * {@code fork}: a new process with a copy of this one's address space (see {@link Fork}) and
     * file table (the same open files). Credentials are inherited.
     */
    public Task fork(String childName) {
        shared.write(STATE, STATE + 1);
        checkAlive();
        MmStruct childMm = kernel.forkOps().dupMm(mm, childName);
        Task child = kernel.newTask(childName, uid, childMm, files.copyForFork(kernel.sim().shared("fd table")));
        child.shared.write();
        child.realParent = this;
        return child;
    }

    /**
     * {@code execve}: a fresh, empty address space, then close-on-exec descriptors are closed —
     * {@code exec_mmap} drops the old mm before {@code do_close_on_exec}, so a device fd closed
     * here sees its mm's teardown (RELEASE) first. The caller is the process's only thread left:
     * threads are the callers' actors, and whoever runs them ends the others first, as {@code
     * de_thread} does. {@code unshare_files} has nothing to do here: no process of the model
     * shares its file table with another ({@code CLONE_FILES}).
     */
    public void exec() {
        shared.write(STATE, STATE + 1);
        checkAlive();
        MmStruct old = mm;
        mm = kernel.newMm(name);
        old.mmput();
        files.closeOnExec();
    }

    /**
     * {@code do_exit}: {@code exit_mm} then {@code exit_files}, in the kernel's order, so the
     * notifiers of a device fd bound to this mm get RELEASE before the fd is closed; then {@code
     * exit_notify} hands the children to init ({@code forget_original_parent}). Idempotent.
     */
    public void exit() {
        shared.write(STATE, STATE + 1);
        if (exited) {
            return;
        }
        exited = true;
        MmStruct old = mm;
        mm = null;
        old.mmput();
        files.closeAll();
        for (Task t : kernel.tasks()) {
            t.shared.read(PARENT, PARENT + 1);
            if (t.realParent == this) {
                t.shared.write(PARENT, PARENT + 1);
                t.realParent = null;
            }
        }
    }

    private void checkAlive() {
        if (exited) {
            throw new IllegalStateException("process " + name + " has exited");
        }
    }

    @Override
    public String toString() {
        return name + "[" + pid + "]";
    }
}
