package accelmm.mm;

import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Models {@code struct files_struct}: a process's file descriptors. New descriptors take the
 * lowest free number, as {@code alloc_fd} does; each holds a reference on its {@link File} and
 * a close-on-exec bit.
 *
 * <p>The table is shared state (every thread of the process, and a passed fd's receiver, reach
 * it), reported by descriptor number: a lookup reads its entry, a close writes it, an install
 * reads and writes the whole table since it picks the lowest free number.
 */
public final class FdTable {

    /** The per-process limit on descriptors (RLIMIT_NOFILE's usual soft value). */
    public static final int NR_OPEN_DEFAULT = 1024;

    private record Entry(File file, boolean cloexec) {
    }

    private final TreeMap<Integer, Entry> fds = new TreeMap<>();
    private final Shared shared;

    /** An empty table, reported to the explorer as {@code shared}. */
    FdTable(Shared shared) {
        this.shared = shared;
    }

    /** {@code fd_install} at the lowest free number; takes over the caller's file reference. */
    public int install(File file, boolean cloexec) {
        shared.write();
        int fd = 0;
        for (int used : fds.keySet()) {
            if (used != fd) {
                break;
            }
            fd++;
        }
        if (fd >= NR_OPEN_DEFAULT) {
            return Errno.EMFILE.neg();
        }
        fds.put(fd, new Entry(file, cloexec));
        return fd;
    }

    /** {@code fget}-like lookup without taking a reference; {@code null} for a bad fd. */
    public File lookup(int fd) {
        shared.read(fd, fd + 1L);
        Entry e = fds.get(fd);
        return e == null ? null : e.file();
    }

    public boolean isCloexec(int fd) {
        shared.read(fd, fd + 1L);
        Entry e = fds.get(fd);
        return e != null && e.cloexec();
    }

    /** {@code close(fd)}: 0, or -EBADF. */
    public int close(int fd) {
        shared.write(fd, fd + 1L);
        Entry e = fds.remove(fd);
        if (e == null) {
            return Errno.EBADF.neg();
        }
        e.file().put();
        return 0;
    }

    /** {@code dup(fd)}: the lowest free number, sharing the file; CLOEXEC is not copied. */
    public int dup(int fd) {
        File f = lookup(fd);
        if (f == null) {
            return Errno.EBADF.neg();
        }
        f.get();
        int newFd = install(f, false);
        if (newFd < 0) {
            f.put();
        }
        return newFd;
    }

    /** {@code dup_fd} at fork: the same files, each referenced once more, same flags, in a table reported as {@code copyShared}. */
    FdTable copyForFork(Shared copyShared) {
        shared.read();
        FdTable copy = new FdTable(copyShared);
        for (Map.Entry<Integer, Entry> e : fds.entrySet()) {
            e.getValue().file().get();
            copy.fds.put(e.getKey(), e.getValue());
        }
        return copy;
    }

    /**
     * {@code do_close_on_exec}: closes the close-on-exec descriptors in ascending order, looking
     * each one up again in the table, as the kernel does under {@code file_lock}, which it drops
     * around each close (releasing a file may sleep). By then exec is the table's only user: the
     * other threads are gone ({@code de_thread}) and {@code unshare_files} gave it a table of its
     * own, so the fresh lookup only mirrors the kernel.
     */
    void closeOnExec() {
        // A close may sleep (the release of a file): the table is read again after each.
        shared.read();
        for (var e = fds.firstEntry(); e != null; e = fds.higherEntry(e.getKey())) {
            if (e.getValue().cloexec()) {
                close(e.getKey());
                shared.read();
            }
        }
    }

    /** {@code exit_files}: closes every descriptor, lowest first. */
    void closeAll() {
        // A close may sleep: the table is read again after each.
        shared.read();
        while (!fds.isEmpty()) {
            close(fds.firstKey());
            shared.read();
        }
    }

    /** The open descriptor numbers, ascending. */
    public List<Integer> openFds() {
        shared.read();
        return new ArrayList<>(fds.keySet());
    }
}
