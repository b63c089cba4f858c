package accelmm.fuzz;

import accelmm.fuzz.ScenarioPlan.ThreadGene;
import accelmm.scenario.DesignKey;
import accelmm.scenario.ModelCoverage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes the scenario of a {@link ScenarioPlan}: valid by construction, so it parses and the
 * model runs every statement of it ({@code ModelCoverage}).
 *
 * <p>Design note: names and waits. A statement uses only names bound where it can see them, so
 * that every thread waits only for something that some thread provides:
 *
 * <ul>
 *   <li>processes have ranks: the declared ones (A, B, C) in order, then their forked children
 *       (A1, B1, C1), then the children those fork (A11, B11, C11); threads are written in rank
 *       order, the kernel's last;
 *   <li>a thread uses the names its own earlier statements bound, every name the earlier threads
 *       of its process bound (it waits until they are bound: that is where threads race), what a
 *       forked child inherits (what its parent inherited, and the names its parent's forking
 *       thread bound before the fork) and, qualified ({@code A.bo}), the names of lower-ranked
 *       processes; kernel threads use every process's names;
 *   <li>files go up the ranks: {@code send} to a higher-ranked process, whose {@code recv} takes
 *       it; {@code await} and {@code after} name events signalled by threads written earlier, or
 *       the exit of a lower-ranked process.
 * </ul>
 *
 * So no wait goes in a circle; a run can still end blocked (a send that failed, a name bound by
 * a thread that exited first), which is a modelled result like any other. Every call allows any
 * outcome ({@code => ok|error}), so a failure does not end the run; a name bound to an error
 * and used as a number later still does (an expectation failure, also modelled).
 */
public final class ScenarioWriter {

    static final List<DesignKey> DESIGN_KEYS =
            List.of(DesignKey.USERPTR, DesignKey.HANDLES, DesignKey.TEARDOWN, DesignKey.FORK, DesignKey.IMPORTER,
                    DesignKey.DMABUF_EXPORT, DesignKey.COREDUMP, DesignKey.DEBUGGER,
                    DesignKey.QUEUE_MMAP, DesignKey.ACCEL, DesignKey.KVM, DesignKey.GUEST_CACHING);
    /** VRAM sizes, small so that VRAM placements can fail; {@code null}: the default (256M). */
    private static final String[] VRAM = {"64K", "16K", "8K", "0", "24K", null};
    private static final String[] DECLARED = {"A", "B", "C"};

    final List<String> devices = new ArrayList<>();
    /** The rdma NICs: one, in plans whose first device gene's VRAM choice is a multiple of 5. */
    final List<String> nics = new ArrayList<>();
    /** The accelerators: one, in plans whose first device gene's VRAM choice is 1 more than a multiple of 3. */
    final List<String> accels = new ArrayList<>();
    /** The uacce queue devices ({@code kind=accel queues=2}), after the exclusive accelerators. */
    final List<String> queueDevices = new ArrayList<>();
    /** Every process by rank: the declared ones, then the forked children, then theirs. */
    final List<Proc> processes = new ArrayList<>();
    /** Events some thread written so far signals. */
    final Set<String> events = new LinkedHashSet<>();
    private final List<String> header = new ArrayList<>();
    private final List<String> blocks = new ArrayList<>();
    private int nextName;

    private ScenarioWriter() {
    }

    /** The scenario text of {@code plan}. */
    public static String write(ScenarioPlan plan) {
        ScenarioWriter w = new ScenarioWriter();
        w.declare(plan);
        w.writeThreads(plan.threads());
        return w.text();
    }

    private void declare(ScenarioPlan plan) {
        header.add("scenario \"generated\"");
        Set<DesignKey> used = new LinkedHashSet<>();
        for (ScenarioPlan.DesignGene g : plan.designs()) {
            DesignKey key = DESIGN_KEYS.get(g.key() % DESIGN_KEYS.size());
            if (used.add(key)) {
                // Only the values the model runs: '*' lists them when some value is refused at load.
                List<String> runs = key.choices().stream()
                        .filter(value -> ModelCoverage.designValueRefusal(key, value) == null).toList();
                int v = g.values() % (runs.size() + 1);
                String all = runs.size() == key.choices().size() ? "*" : String.join(",", runs);
                header.add("design " + key.word() + "=" + (v < runs.size() ? runs.get(v) : all));
            }
        }
        for (ScenarioPlan.DeviceGene g : plan.devices()) {
            String name = "gpu" + devices.size();
            devices.add(name);
            String vram = VRAM[g.vram() % VRAM.length];
            header.add("device " + name + " kind=gpu" + (vram == null ? "" : " vram=" + vram)
                    + (g.p2p() ? " p2p=yes" : ""));
        }
        if (!plan.devices().isEmpty() && plan.devices().getFirst().vram() % 5 == 0) {
            nics.add("nic0");
            header.add("device nic0 kind=rdma" + (plan.devices().getFirst().p2p() ? " p2p=yes" : ""));
        }
        if (!plan.devices().isEmpty() && plan.devices().getFirst().vram() % 3 == 1) {
            accels.add("acc0");
            header.add("device acc0 kind=accel exclusive=yes vram=64K" + (plan.devices().getFirst().p2p() ? " p2p=yes" : ""));
        }
        if (!plan.devices().isEmpty() && plan.devices().getFirst().vram() % 3 == 2) {
            queueDevices.add("acq0");
            header.add("device acq0 kind=accel queues=2");
        }
        int n = Math.max(1, Math.min(plan.processes(), DECLARED.length));
        for (int i = 0; i < n; i++) {
            processes.add(new Proc(DECLARED[i], i, null));
            header.add("process " + DECLARED[i]);
        }
        for (int generation = 1; generation <= 2; generation++) {
            for (int i = 0; i < n; i++) {
                Proc parent = processes.get((generation - 1) * n + i);
                processes.add(new Proc(parent.name + "1", generation * n + i, parent));
            }
        }
    }

    /**
     * Hands each thread gene to its owner (declared process, child, grandchild or kernel: in
     * sixteenths, 7, 4, 2 and 3), then writes the processes' threads in rank order and the
     * kernel's last. A child with threads makes its parent fork it; a parent without threads of
     * its own gets one that only forks (and so, if it is a child itself, is forked in turn).
     */
    private void writeThreads(List<ThreadGene> genes) {
        List<ThreadGene> kernel = new ArrayList<>();
        int n = processes.size() / 3;
        for (ThreadGene g : genes) {
            int bucket = g.owner() % 16;
            int generation = bucket < 7 ? 0 : bucket < 11 ? 1 : bucket < 13 ? 2 : -1;
            if (generation < 0) {
                kernel.add(g);
            } else {
                processes.get(generation * n + g.owner() / 16 % n).threads.add(g);
            }
        }
        for (Proc p : processes.reversed()) {
            if (p.parent != null && !p.threads.isEmpty()) {
                p.parent.mustFork = true;
                if (p.parent.threads.isEmpty()) {
                    p.parent.threads.add(new ThreadGene(0, 0, List.of()));
                }
            }
        }
        for (Proc p : processes) {
            for (int i = 0; i < p.threads.size(); i++) {
                block(p.name + ".t" + i, new ThreadWriter(this, p).write(p.threads.get(i)));
            }
        }
        for (int i = 0; i < kernel.size(); i++) {
            block("kernel.k" + i, new ThreadWriter(this, null).write(kernel.get(i)));
        }
    }

    private void block(String name, ThreadWriter.Written written) {
        StringBuilder b = new StringBuilder("thread ").append(name);
        written.after().ifPresent(event -> b.append(" after ").append(event));
        b.append(":\n");
        written.lines().forEach(line -> b.append("  ").append(line).append('\n'));
        blocks.add(b.toString());
    }

    private String text() {
        return String.join("\n", header) + "\n\n" + String.join("\n", blocks);
    }

    /** A name never used before in the file: {@code prefix} and a number. */
    String fresh(String prefix) {
        return prefix + nextName++;
    }

    /** The process {@code parent} forks, or null. */
    Proc childOf(Proc parent) {
        return processes.stream().filter(p -> p.parent == parent).findFirst().orElse(null);
    }

    /**
     * The processes a statement may name (a secret's {@code allow}): the declared ones and the
     * children that are forked, because they have threads.
     */
    List<String> nameable() {
        return processes.stream().filter(p -> p.parent == null || !p.threads.isEmpty()).map(p -> p.name).toList();
    }

    /** The processes of rank at least {@code rank} that some thread of the file runs in (receivers of files). */
    List<Proc> receiversAbove(int rank) {
        return processes.stream().filter(p -> p.rank > rank && (p.parent == null || !p.threads.isEmpty())).toList();
    }

    /** What a thread of a process of rank {@code rank} (the kernel: every process) may name qualified. */
    List<Binding> foreign(int rank, Binding.Kind kind) {
        List<Binding> out = new ArrayList<>();
        for (Proc p : processes) {
            if (p.rank < rank) {
                p.bound.stream().filter(b -> b.kind() == kind).forEach(out::add);
            }
        }
        return out;
    }

    /** A scenario process as the writer sees it: its rank, its threads' genes, what they bound. */
    static final class Proc {
        final String name;
        final int rank;
        /** The process that forks this one, or null for a declared one. */
        final Proc parent;
        final List<ThreadGene> threads = new ArrayList<>();
        /** Names bound by the threads written so far (a child: and those it inherits). */
        final List<Binding> bound = new ArrayList<>();
        /** The names a child is forked with: bound in it from its start. */
        final List<Binding> inherited = new ArrayList<>();
        /** Files sent to this process and not received yet, in order. */
        final List<Binding> mailbox = new ArrayList<>();
        /** A child of this process has threads, so this process forks it. */
        boolean mustFork;
        boolean forked;

        Proc(String name, int rank, Proc parent) {
            this.name = name;
            this.rank = rank;
            this.parent = parent;
        }
    }
}
