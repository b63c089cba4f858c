package accelmm.fuzz;

import accelmm.fuzz.Binding.Kind;
import accelmm.fuzz.ScenarioWriter.Proc;
import java.util.ArrayList;
import java.util.List;

/**
 * The names a thread being written may use ({@link ScenarioWriter} says why these): unqualified,
 * its own, its process's earlier threads' and inherited ones; qualified, those of lower-ranked
 * processes (a kernel thread: every process's).
 */
final class ThreadNames {

    private final ScenarioWriter scenario;
    /** The thread's process, or null in a kernel thread. */
    private final Proc self;
    /** How the thread's process is named: its name, or {@code kernel}. */
    final String viewer;
    final int rank;
    /** Names the thread bound so far. */
    final List<Binding> local = new ArrayList<>();
    /** Fences the thread waited for, as it names them: an expectation on them reads their end. */
    final List<String> waited = new ArrayList<>();

    ThreadNames(ScenarioWriter scenario, Proc self) {
        this.scenario = scenario;
        this.self = self;
        this.viewer = self == null ? "kernel" : self.name;
        this.rank = self == null ? Integer.MAX_VALUE : self.rank;
    }

    /** Names of {@code kind} the thread sees unqualified. */
    List<Binding> own(Kind kind) {
        List<Binding> out = new ArrayList<>();
        if (self != null) {
            self.bound.stream().filter(b -> b.kind() == kind).forEach(out::add);
        }
        local.stream().filter(b -> b.kind() == kind).forEach(out::add);
        return out;
    }

    /** Names of {@code kind} of other processes the thread may name qualified. */
    List<Binding> foreign(Kind kind) {
        return scenario.foreign(rank, kind);
    }

    boolean any(Kind kind) {
        return !own(kind).isEmpty() || !foreign(kind).isEmpty();
    }

    /** Mostly one of the thread's own names; one time in five, if there is one, another process's. */
    Binding ownOrForeign(Kind kind, int choice) {
        List<Binding> own = own(kind);
        List<Binding> foreign = foreign(kind);
        return own.isEmpty() || (!foreign.isEmpty() && choice % 5 == 4) ? pick(foreign, choice / 5) : pick(own, choice);
    }

    static Binding pick(List<Binding> options, int choice) {
        return options.get(choice % options.size());
    }

    /** How the thread names {@code b}. */
    String ref(Binding b) {
        return b.ref(viewer);
    }

    /**
     * The DRM fd to name an object with: the one it was made on, or one time in eight another
     * of the thread's own (the same device or not); for another process's object one of the
     * thread's own fds, or, without one, that process's fd number.
     */
    String fdFor(Binding object, int choice) {
        return fdFor(object, Kind.DRM_FD, choice);
    }

    /** {@link #fdFor(Binding, int)} for an object of a device whose files are of {@code fdKind}. */
    String fdFor(Binding object, Kind fdKind, int choice) {
        List<Binding> fds = own(fdKind);
        boolean mine = object.process().equals(viewer);
        if (fds.isEmpty() || (mine && choice % 8 != 7)) {
            return mine || object.fd().contains(".") ? object.fd() : object.process() + "." + object.fd();
        }
        return pick(fds, choice / 8).name();
    }

    /** The thread's own files: DRM fds, dma-bufs, uverbs fds, accelerator fds, uacce queue fds and VM fds. */
    List<Binding> files() {
        List<Binding> out = new ArrayList<>(own(Kind.DRM_FD));
        out.addAll(own(Kind.DMABUF_FD));
        out.addAll(own(Kind.UVERBS_FD));
        out.addAll(own(Kind.ACCEL_FD));
        out.addAll(own(Kind.QUEUE_FD));
        out.addAll(own(Kind.KVM_FD));
        return out;
    }

    /** Objects {@code gem_create} made, which a kernel thread may evict. */
    List<Binding> evictable() {
        return foreign(Kind.GEM).stream().filter(Binding::created).toList();
    }

    /** What an expectation may be about: fences waited for, and numbers the thread can name. */
    List<String> subjects() {
        List<String> out = new ArrayList<>(waited);
        out.addAll(numbers());
        return out;
    }

    /** Names holding numbers: the thread's own, or in a kernel thread every process's. */
    List<String> numbers() {
        List<String> out = new ArrayList<>();
        for (Kind k : Kind.values()) {
            if (k.numeric()) {
                (self == null ? foreign(k) : own(k)).forEach(b -> out.add(ref(b)));
            }
        }
        return out;
    }

    /** Events that some thread written before signals, and the exits of lower-ranked processes. */
    List<String> awaitable() {
        List<String> out = new ArrayList<>(scenario.events);
        scenario.processes.stream().filter(p -> p.rank < rank && (p.parent == null || !p.threads.isEmpty()))
                .forEach(p -> out.add(p.name + ".exit"));
        return out;
    }

    /** A CPU address: one of the mappings the thread can name, plus an offset. */
    String address(int choice, int offset) {
        return ref(ownOrForeign(Kind.PTR, choice)) + GeneratedValues.offset(offset);
    }

    /** Bytes read that an expectation may compare: the thread's own, or in a kernel thread every process's. */
    List<String> bytes() {
        return (self == null ? foreign(Kind.BYTES) : own(Kind.BYTES)).stream().map(this::ref).toList();
    }

    /**
     * The fd {@code fd} as the statement writes it: mostly as it is, but one time in eight a
     * number ({@link GeneratedValues#fdNumber}) or a name bound to an address or an mmap offset,
     * which is no fd (the offsets are beyond an {@code int}).
     */
    String fd(String fd, int choice) {
        return choice % 8 != 7 ? fd : odd(choice / 8, GeneratedValues.fdNumber(choice / 8));
    }

    /**
     * A GEM handle, VM or exec-queue ID as the statement writes it, as {@link #fd} does, with its
     * own {@code salt} so two IDs of one statement are not odd together.
     */
    String id(String id, int choice, int salt) {
        int c = choice / 10 + salt;
        return c % 10 != 9 ? id : odd(c / 10, GeneratedValues.idNumber(c / 10));
    }

    /**
     * {@code number}, or one time in two a name the thread can use that is bound to an mmap
     * offset (beyond a {@code __u32}) or, without one, to an address.
     */
    private String odd(int choice, String number) {
        List<Binding> offsets = new ArrayList<>(own(Kind.OFFSET));
        offsets.addAll(foreign(Kind.OFFSET));
        List<Binding> addresses = offsets.isEmpty() ? own(Kind.PTR) : offsets;
        return choice % 2 == 1 && !addresses.isEmpty() ? ref(pick(addresses, choice / 2)) : number;
    }
}
