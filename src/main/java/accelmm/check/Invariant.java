package accelmm.check;

/**
 * One invariant of ARCHITECTURE.md, as its own type. An invariant observes and never mutates:
 * an {@link AccessInvariant} judges each memory access as it happens, a {@link LookupInvariant}
 * each object an ioctl finds by ID, an {@link EndInvariant} how an execution ended.
 */
public sealed interface Invariant permits AccessInvariant, LookupInvariant, EndInvariant {

    InvariantKind kind();
}
