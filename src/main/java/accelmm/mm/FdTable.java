package accelmm.mm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Models {@code struct files_struct}: a process's file descriptors. New descriptors take the
 * lowest free number, as {@code alloc_fd} does; each holds a reference on its {@link File} and
 * a close-on-exec bit.
 */
public final class FdTable {

    /** The per-process limit on descriptors (RLIMIT_NOFILE's usual soft value). */
    public static final int NR_OPEN_DEFAULT = 1024;

    private record Entry(File file, boolean cloexec) {
    }

    private final TreeMap<Integer, Entry> fds = new TreeMap<>();

    /** {@code fd_install} at the lowest free number; takes over the caller's file reference. */
    public int install(File file, boolean cloexec) {
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
        Entry e = fds.get(fd);
        return e == null ? null : e.file();
    }

    public boolean isCloexec(int fd) {
        Entry e = fds.get(fd);
        return e != null && e.cloexec();
    }

    /** {@code close(fd)}: 0, or -EBADF. */
    public int close(int fd) {
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

    /** {@code dup_fd} at fork: the same files, each referenced once more, same flags. */
    FdTable copyForFork() {
        FdTable copy = new FdTable();
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
        for (var e = fds.firstEntry(); e != null; e = fds.higherEntry(e.getKey())) {
            if (e.getValue().cloexec()) {
                close(e.getKey());
            }
        }
    }

    /** {@code exit_files}: closes every descriptor, lowest first. */
    void closeAll() {
        while (!fds.isEmpty()) {
            close(fds.firstKey());
        }
    }

    /** The open descriptor numbers, ascending. */
    public List<Integer> openFds() {
        return new ArrayList<>(fds.keySet());
    }
}
