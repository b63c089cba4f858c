package accelmm.scenario;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which parts of the language the model implements today. A scenario that uses anything else
 * is refused when it is loaded for running, at each such use — never run with that statement
 * or device attribute silently doing nothing; so is a device attribute its kind does not have.
 * {@link #load}, {@link #parse} and {@link #loadToRun} are where a
 * scenario is loaded for running: they also run the other {@link LoadChecks} and report every
 * problem at once.
 */
public final class ModelCoverage {

    /** The operations the interpreter executes. */
    static final Set<Operation> MODELLED = EnumSet.of(
            Operation.FORK, Operation.EXEC, Operation.EXIT, Operation.MMAP, Operation.MUNMAP, Operation.MPROTECT,
            Operation.MADVISE, Operation.WRITE, Operation.READ, Operation.CLOSE, Operation.SEND, Operation.RECV,
            Operation.SIGNAL, Operation.AWAIT, Operation.WAIT, Operation.MIGRATE, Operation.RECLAIM, Operation.EVICT,
            Operation.OPEN, Operation.VM_CREATE, Operation.VM_DESTROY, Operation.GEM_CREATE, Operation.GEM_CLOSE,
            Operation.GEM_MMAP_OFFSET, Operation.MMAP_FILE, Operation.VM_BIND_MAP, Operation.VM_BIND_USERPTR,
            Operation.VM_BIND_UNMAP, Operation.EXEC_QUEUE_CREATE, Operation.EXEC_COPY, Operation.EXEC_FILL,
            Operation.PRIME_HANDLE_TO_FD, Operation.PRIME_FD_TO_HANDLE, Operation.DMA_BUF_SYNC, Operation.DMA_BUF_INFO,
            Operation.REG_MR_USER, Operation.REG_MR_DMABUF, Operation.RDMA_READ, Operation.RDMA_WRITE,
            Operation.MEM_ALLOC, Operation.MEM_FREE, Operation.MEM_EXPORT, Operation.DEBUG_ATTACH,
            Operation.DEBUG_READ_EVENT, Operation.DEBUG_VM_OPEN, Operation.DEBUG_VM_READ, Operation.DEBUG_VM_WRITE,
            Operation.DEVCOREDUMP, Operation.DEVCOREDUMP_READ, Operation.DEVCOREDUMP_DELETE, Operation.START_Q,
            Operation.PUT_Q, Operation.DMA_MAP, Operation.SUBMIT, Operation.KVM_CREATE, Operation.KVM_MAP,
            Operation.GUEST_MAP, Operation.GUEST_READ, Operation.GUEST_WRITE);

    /** The device kinds the model runs. */
    private static final Set<Device.Kind> KINDS_MODELLED = EnumSet.of(Device.Kind.GPU, Device.Kind.RDMA,
            Device.Kind.ACCEL);

    /** The device attributes the model runs on a gpu, as {@link #gpuRuns} decides and refusals say. */
    private static final String GPU_RUNS = "vram=, p2p=, sva=no and exclusive=no";
    /** The device attributes the model runs on an rdma NIC, as {@link #rdmaRuns} decides. */
    private static final String RDMA_RUNS = "p2p=, sva=no and exclusive=no";
    /** What the model runs of an accel device, as refusals say. */
    private static final String ACCEL_RUNS = "the model runs kind=accel as an exclusive device (exclusive=yes, with"
            + " vram= and p2p=) or as a uacce queue device (exclusive=no, with queues= and sva=yes)";

    private ModelCoverage() {
    }

    /** Whether the model implements the alternatives of design key {@code key}. */
    public static boolean designModelled(DesignKey key) {
        return DesignMatrix.modelled(key);
    }

    /**
     * Why the model cannot run value {@code value} of a modelled key, or null when it can. Every
     * value of every modelled key runs today; a key modelled in part refuses the rest here.
     */
    public static String designValueRefusal(DesignKey key, String value) {
        return null;
    }

    /**
     * Reads, parses and checks a scenario whose verdicts are judged ({@code check}, the catalog):
     * every load check, the {@code expect} lines' too.
     */
    public static Scenario load(Path path) {
        return check(ScenarioLoader.read(path), LoadChecks.Judged.VERDICTS);
    }

    /** {@link #load} for a scenario given as bytes (the built-in catalog). */
    public static Scenario parse(String fileName, byte[] bytes) {
        return check(ScenarioLoader.parsed(fileName, bytes), LoadChecks.Judged.VERDICTS);
    }

    /**
     * Reads, parses and checks a scenario to run one execution of ({@code run}, {@code replay}):
     * every load check but those of the {@code expect} lines, which such a run does not judge
     * (it may run a design combination no {@code expect} line is about).
     */
    public static Scenario loadToRun(Path path) {
        return check(ScenarioLoader.read(path), LoadChecks.Judged.EXECUTION);
    }

    private static Scenario check(Parser.Parsed parsed, LoadChecks.Judged judged) {
        LoadChecks.check(parsed, judged);
        return parsed.scenario();
    }

    /** Every use of something the model does not implement. */
    static List<LoadProblem> problems(Scenario scenario) {
        List<LoadProblem> problems = new ArrayList<>();
        for (DesignLine line : scenario.designs()) {
            if (!DesignMatrix.modelled(line.key())) {
                problems.add(new LoadProblem(line.position(), "design key '" + line.key().word() + "' is not modelled yet"));
            }
            for (String value : line.values()) {
                String refusal = designValueRefusal(line.key(), value);
                if (refusal != null) {
                    problems.add(new LoadProblem(line.position(), refusal));
                }
            }
        }
        for (Device d : scenario.devices()) {
            problems.addAll(deviceProblems(d));
        }
        for (ThreadBlock t : scenario.threads()) {
            for (Statement st : t.body()) {
                if (st instanceof Statement.Call c) {
                    String problem = !MODELLED.contains(c.operation()) ? "'" + c.operation().title() + "' is not modelled yet"
                            : (c.operation() == Operation.DEBUG_ATTACH || c.operation() == Operation.DEBUG_READ_EVENT)
                                    && gpuCount(scenario) != 1
                                    ? "'" + c.operation().word() + "' is not modelled yet in a scenario without exactly one"
                                      + " kind=gpu device"
                                      + " (the statement names none; this one has " + gpuCount(scenario) + ")"
                            : isCoredumpStatement(c.operation()) && !isGpu(scenario, c.word("device"))
                                    ? "'" + c.operation().title() + "' takes a device of kind gpu (the xe device coredump)"
                            : null;
                    if (problem != null) {
                        problems.add(new LoadProblem(c.operationAt(), problem));
                    }
                }
            }
        }
        return problems;
    }

    private static long gpuCount(Scenario scenario) {
        return scenario.devices().stream().filter(d -> d.kind() == Device.Kind.GPU).count();
    }

    /** The statements on a device's coredump, which name an xe device. */
    private static boolean isCoredumpStatement(Operation op) {
        return op == Operation.DEVCOREDUMP || op == Operation.DEVCOREDUMP_READ || op == Operation.DEVCOREDUMP_DELETE;
    }

    private static boolean isGpu(Scenario scenario, String device) {
        return scenario.devices().stream().anyMatch(d -> d.name().equals(device) && d.kind() == Device.Kind.GPU);
    }

    /**
     * A device of a kind the model does not run (refused as a whole: its attributes are not
     * refused again one by one), an attribute the kind does not have, and an attribute the model
     * does not run for the kind, each at its key.
     */
    private static List<LoadProblem> deviceProblems(Device d) {
        List<LoadProblem> problems = new ArrayList<>();
        if (!KINDS_MODELLED.contains(d.kind())) {
            problems.add(new LoadProblem(d.position(), "devices of kind " + d.kind().word() + " are not modelled yet"));
        }
        for (Device.Written w : d.written()) {
            if (!d.kind().has(w.attribute())) {
                problems.add(new LoadProblem(w.at(), "devices of kind " + d.kind().word() + " have no "
                        + w.attribute().word() + " ('" + w.attribute().word() + "=' is for " + kindsWith(w.attribute()) + ")"));
            } else if (d.kind() == Device.Kind.GPU && !gpuRuns(d, w.attribute())) {
                problems.add(new LoadProblem(w.at(), "'" + written(d, w.attribute()) + "' is not modelled for kind=gpu yet"
                        + " (the model runs " + GPU_RUNS + " on a gpu)"));
            } else if (d.kind() == Device.Kind.RDMA && !rdmaRuns(d, w.attribute())) {
                problems.add(new LoadProblem(w.at(), "'" + written(d, w.attribute()) + "' is not modelled for kind=rdma yet"
                        + " (the model runs " + RDMA_RUNS + " on an rdma NIC)"));
            } else if (d.kind() == Device.Kind.ACCEL && !accelRuns(d, w.attribute())) {
                problems.add(new LoadProblem(w.at(), "'" + written(d, w.attribute()) + "' is not modelled for kind=accel yet ("
                        + ACCEL_RUNS + ")"));
            }
        }
        return problems;
    }

    /**
     * Whether the model's gpu runs {@code attribute} as {@code d} has it. It runs any {@code vram=}
     * (its VRAM) and {@code p2p=} (PRIME import across devices). It neither shares process page
     * tables through a PASID nor refuses a second open (DRM itself never does: {@code
     * drm_open_helper} in drm_file.c only refuses an {@code O_EXCL} open), so {@code sva=} and
     * {@code exclusive=} run as {@code no} only; and nothing in it counts hardware queues (any
     * number of exec queues may be created), so {@code queues=} does not run at all.
     */
    private static boolean gpuRuns(Device d, Device.Attribute attribute) {
        return switch (attribute) {
            case VRAM, P2P -> true;
            case SVA -> !d.sva();
            case EXCLUSIVE -> !d.exclusive();
            case QUEUES -> false;
        };
    }

    /**
     * Whether the model's NIC runs {@code attribute} as {@code d} has it: {@code p2p=} (whether
     * a dma-buf exporter lets it reach device memory). A uverbs file shares no page tables
     * (on-demand paging is not modelled) and {@code ib_uverbs_open} refuses no second open, so
     * {@code sva=} and {@code exclusive=} run as {@code no} only; nothing counts the NIC's
     * queues, so {@code queues=} does not run. A NIC has no {@code vram=} at all.
     */
    private static boolean rdmaRuns(Device d, Device.Attribute attribute) {
        return switch (attribute) {
            case P2P -> true;
            case SVA -> !d.sva();
            case EXCLUSIVE -> !d.exclusive();
            case QUEUES, VRAM -> false;
        };
    }

    /**
     * Whether the model's accel device runs {@code attribute} as {@code d} has it. The
     * habanalabs-style exclusive device ({@code exclusive=yes}, one compute context per device)
     * runs {@code vram=} (its device memory) and {@code p2p=} (peer-to-peer export); it has no
     * queues or SVA in the model. The uacce queue device ({@code exclusive=no}) runs {@code
     * queues=} (its hardware queues) and {@code sva=yes} (queues bound to the opener's PASID);
     * without SVA it would need one of the non-SVA {@code accel} designs, not modelled, and its
     * device memory and peer-to-peer are not modelled, so {@code sva=no}, {@code vram=} and
     * {@code p2p=} do not run on it.
     */
    private static boolean accelRuns(Device d, Device.Attribute attribute) {
        return switch (attribute) {
            case VRAM, P2P -> d.exclusive();
            case EXCLUSIVE -> true;
            case SVA -> !d.exclusive() && d.sva();
            case QUEUES -> !d.exclusive();
        };
    }

    /** The attribute as the refusal names it: with its value where only that value is refused. */
    private static String written(Device d, Device.Attribute attribute) {
        return switch (attribute) {
            case SVA -> "sva=" + yesNo(d.sva());
            case EXCLUSIVE -> "exclusive=" + yesNo(d.exclusive());
            default -> attribute.word() + "=";
        };
    }

    private static String yesNo(boolean on) {
        return on ? "yes" : "no";
    }

    private static String kindsWith(Device.Attribute attribute) {
        return Arrays.stream(Device.Kind.values()).filter(k -> k.has(attribute)).map(k -> "kind=" + k.word())
                .collect(Collectors.joining(" and "));
    }
}
