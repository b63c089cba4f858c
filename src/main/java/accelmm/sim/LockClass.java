package accelmm.sim;

/**
 * A lockdep lock class: every lock initialised at the same place of the code shares one, as
 * every {@code mm->mmap_lock} does in the kernel. Ordering is checked between classes, not
 * between lock instances. Identified by name.
 */
public record LockClass(String name) {

    public LockClass {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a lock class needs a name");
        }
    }

    /**
     * The subclass used when two locks of this class are nested on purpose, as
     * {@code mmap_write_lock_nested(mm, SINGLE_DEPTH_NESTING)} does for the child's mm at fork.
     */
    public LockClass nested(int subclass) {
        return subclass == 0 ? this : new LockClass(name + "/" + subclass);
    }

    @Override
    public String toString() {
        return name;
    }
}
