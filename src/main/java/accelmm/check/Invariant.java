package accelmm.check;

/**
 * One invariant of ARCHITECTURE.md, as its own type. An invariant observes and never mutates:
 * an {@link AccessInvariant} judges each memory access as it happens, an {@link EndInvariant}
 * judges how an execution ended.
 */
public sealed interface Invariant permits AccessInvariant, EndInvariant {

    InvariantKind kind();
}
