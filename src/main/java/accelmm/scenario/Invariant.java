package accelmm.scenario;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The invariants of ARCHITECTURE.md, by the names {@code expect violation} uses. */
public enum Invariant {
    USE_AFTER_FREE("use-after-free"),
    STALE_ACCESS("stale-access"),
    LEAK("leak"),
    SECRET_LEAK("secret-leak"),
    DEADLOCK("deadlock"),
    CROSS_CLIENT_ACCESS("cross-client-access"),
    REFCOUNT("refcount"),
    LOCK_ORDER("lock-order"),
    INCOHERENT_ACCESS("incoherent-access"),
    COREDUMP_USERPTR("coredump-userptr");

    private final String word;

    Invariant(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    public static Optional<Invariant> named(String word) {
        return Arrays.stream(values()).filter(i -> i.word.equals(word)).findFirst();
    }

    static List<String> words() {
        return Arrays.stream(values()).map(Invariant::word).toList();
    }
}
