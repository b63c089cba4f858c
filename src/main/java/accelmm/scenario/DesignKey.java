package accelmm.scenario;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The designs table of ARCHITECTURE.md: each key names a contested mechanism, each value one
 * alternative. The first value is the default, the design the kernel (or the safe proposal)
 * uses. This is the one place that lists them; later layers may take it over.
 */
public enum DesignKey {
    USERPTR("userptr", "hmm", "pin", "hmm-no-retry"),
    DEBUGGER("debugger", "eudebug", "eudebug-no-retry", "ptrace"),
    COREDUMP("coredump", "exclude-userptr", "include-userptr"),
    HANDLES("handles", "per-file", "device-global"),
    TEARDOWN("teardown", "open-count", "refcount-only"),
    FORK("fork", "modern", "legacy"),
    ACCEL("accel", "sva", "pin", "pin-notifier", "kernel-submit"),
    QUEUE_MMAP("queue-mmap", "dontcopy", "plain"),
    KVM("kvm", "notifier", "pfn-walk"),
    GUEST_CACHING("guest-caching", "from-info", "guess-wb"),
    DMABUF_EXPORT("dmabuf-export", "hold-file", "no-hold", "revoke"),
    IMPORTER("importer", "dynamic", "pinned");

    private final String word;
    private final List<String> choices;

    DesignKey(String word, String... choices) {
        this.word = word;
        this.choices = List.of(choices);
    }

    /** The key as written in a scenario, e.g. {@code queue-mmap}. */
    public String word() {
        return word;
    }

    /** Every value of the key, default first. */
    public List<String> choices() {
        return choices;
    }

    public String defaultValue() {
        return choices.get(0);
    }

    public static Optional<DesignKey> named(String word) {
        for (DesignKey k : values()) {
            if (k.word.equals(word)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    static List<String> words() {
        return Arrays.stream(values()).map(DesignKey::word).toList();
    }
}
