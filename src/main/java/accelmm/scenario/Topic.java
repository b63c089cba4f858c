package accelmm.scenario;

/**
 * What a scenario-level wait waits for and a change changes ({@link Changes}): a process coming
 * into existence, a process's threads being told to end, a name bound or a file sent in a
 * process, an event signalled, the start of {@code after} threads being given up, a ptrace stop
 * ending.
 *
 * <p>{@link #key()} names the topic in the explorer's footprints. It is computed from the names
 * (their {@link String#hashCode}, which the platform fixes), so equal across executions; two
 * topics that share a key only make the explorer see a conflict that is not there.
 *
 * @param process the process the topic is about, or "" for none
 * @param name    the name, event or "" for none
 */
record Topic(Kind kind, String process, String name) {

    /** By kind, then process, then name. */
    static final java.util.Comparator<Topic> ORDER = java.util.Comparator.comparing(Topic::kind)
            .thenComparing(Topic::process).thenComparing(Topic::name);

    enum Kind {
        /** Unused: key 0 is the every-change list of {@link Changes}. */
        NONE,
        EXISTS, EXITING, BOUND, SENT, SIGNALLED, START_CANCELLED, PTRACE_STOP
    }

    /** {@code process} exists ({@code fork}). */
    static Topic exists(String process) {
        return new Topic(Kind.EXISTS, process, "");
    }

    /** The threads of {@code process} are being ended ({@code exit}, {@code exec}). */
    static Topic exiting(String process) {
        return new Topic(Kind.EXITING, process, "");
    }

    /** {@code name} is bound in {@code process}. */
    static Topic bound(String process, String name) {
        return new Topic(Kind.BOUND, process, name);
    }

    /** A file was sent to {@code process} as {@code name}. */
    static Topic sent(String process, String name) {
        return new Topic(Kind.SENT, process, name);
    }

    /** {@code event} was signalled. */
    static Topic signalled(String event) {
        return new Topic(Kind.SIGNALLED, "", event);
    }

    /** The threads waiting for start events that can no longer come never start. */
    static final Topic START_CANCELLED = new Topic(Kind.START_CANCELLED, "", "");
    /** A tracer detached or exited: its tracee's threads go on. */
    static final Topic PTRACE_STOP = new Topic(Kind.PTRACE_STOP, "", "");

    /** The kind in the high half, the names' hash in the low half: never 0. */
    long key() {
        return (long) kind.ordinal() << 32 | keyOf(31 * process.hashCode() + name.hashCode());
    }

    /**
     * The index of {@code name} (a process, a binding, an event) in a piece of state kept by
     * name (a process's names, the world's events): stable across executions, as {@link
     * #key()}; names with equal hashes only share an index.
     */
    static long keyOf(String name) {
        return keyOf(name.hashCode());
    }

    private static long keyOf(int hash) {
        return hash & 0xffffffffL;
    }
}
