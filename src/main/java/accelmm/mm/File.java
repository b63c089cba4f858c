package accelmm.mm;

import accelmm.sim.RefcountError;
import accelmm.sim.Shared;

/**
 * Models {@code struct file}: an open file description, shared by every fd (in any process)
 * and every VMA that refers to it, and released through its {@link FileOperations} when the
 * last reference goes ({@code fput}).
 *
 * <p>The reference count is the file's only mutable state, reported as {@code shared}.
 */
public final class File {

    private final Kernel kernel;
    private final int id;
    private final FileOperations ops;
    private final boolean readable;
    private final boolean writable;
    private final Object privateData;
    private final Shared shared;
    private int refCount = 1;

    File(Kernel kernel, int id, FileOperations ops, boolean readable, boolean writable, Object privateData) {
        this.kernel = kernel;
        this.id = id;
        this.ops = ops;
        this.readable = readable;
        this.writable = writable;
        this.privateData = privateData;
        this.shared = kernel.sim().shared("file");
    }

    /** A serial number, unique in the kernel, for reports. */
    public int id() {
        return id;
    }

    public FileOperations ops() {
        return ops;
    }

    /** {@code FMODE_READ}. */
    public boolean readable() {
        return readable;
    }

    /** {@code FMODE_WRITE}: opened or exported for writing ({@code O_RDWR}). */
    public boolean writable() {
        return writable;
    }

    /** {@code file->private_data}: the owner's object behind this file. */
    public Object privateData() {
        return privateData;
    }

    public int refCount() {
        shared.read();
        return refCount;
    }

    /** Whether the last reference went (its release may still be pending as task work). */
    public boolean isReleased() {
        shared.read();
        return refCount == 0;
    }

    /** {@code get_file}. */
    public void get() {
        shared.write();
        if (refCount <= 0) {
            throw new RefcountError("get_file on released " + this);
        }
        refCount++;
    }

    /**
     * {@code get_file_active}: a reference only if the file still has one ({@code
     * file_ref_get}), for a caller that found the file through a list of its own rather than
     * through a reference: {@code false} for a file whose last reference went.
     */
    public boolean tryGet() {
        shared.write();
        if (refCount <= 0) {
            return false;
        }
        refCount++;
        return true;
    }

    /**
     * {@code fput}: the last reference releases the file, later, as {@link DeferredFput} says:
     * at the calling user thread's return to user space, else by {@code delayed_fput}.
     */
    public void put() {
        shared.write();
        if (refCount <= 0) {
            throw new RefcountError("fput underflow on " + this);
        }
        if (--refCount == 0) {
            kernel.deferredFput().lastReferenceDropped(this);
        }
    }

    /** {@code __fput}: the owner's {@code release}. */
    void release() {
        kernel.fileReleased(this);
        ops.release(this);
    }

    @Override
    public String toString() {
        return "file " + id + " (" + ops.name() + ")";
    }
}
