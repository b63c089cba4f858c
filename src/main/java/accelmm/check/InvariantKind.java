package accelmm.check;

/**
 * The invariants accelmm checks on every execution (ARCHITECTURE.md, "Invariants"), with the
 * names scenarios use in {@code expect violation}. {@link #EXPECTATION} is not an invariant of
 * the kernel but of the scenario: an inline expectation ({@code => OUTCOME}, {@code expect X ==
 * V}) did not hold. A scenario may expect that too, for a design under which what it states
 * of the kernel is false ({@code expect violation expectation when fork=legacy}).
 */
public enum InvariantKind {
    USE_AFTER_FREE("use-after-free"),
    STALE_ACCESS("stale-access"),
    LEAK("leak"),
    SECRET_LEAK("secret-leak"),
    DEADLOCK("deadlock"),
    CROSS_CLIENT_ACCESS("cross-client-access"),
    REFCOUNT("refcount"),
    LOCK_ORDER("lock-order"),
    INCOHERENT_ACCESS("incoherent-access"),
    COREDUMP_USERPTR("coredump-userptr"),
    EXPECTATION("expectation");

    private final String scenarioName;

    InvariantKind(String scenarioName) {
        this.scenarioName = scenarioName;
    }

    /** The name used in scenarios and reports, e.g. {@code use-after-free}. */
    public String scenarioName() {
        return scenarioName;
    }

    /** The kernel invariants a scenario can expect: every kind but {@link #EXPECTATION}. */
    public static java.util.List<InvariantKind> invariants() {
        return java.util.Arrays.stream(values()).filter(k -> k != EXPECTATION).toList();
    }

    /** The invariant a scenario names {@code word} ({@code expect violation WORD}), {@code expectation} too. */
    public static java.util.Optional<InvariantKind> invariantNamed(String word) {
        return java.util.Arrays.stream(values()).filter(k -> k.scenarioName.equals(word)).findFirst();
    }

    /** The invariant named {@code name} in a scenario, or {@code null}. */
    public static InvariantKind named(String name) {
        for (InvariantKind k : values()) {
            if (k.scenarioName.equals(name)) {
                return k;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return scenarioName;
    }
}
