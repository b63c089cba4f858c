package accelmm.scenario;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every operation of the scenario language, each with its syntax: the one table the parser
 * checks statements against. A line reads as in the language contract; {@link Signature}
 * explains the notation. The interpreter switches over these constants and reads arguments
 * by parameter name from {@link Statement.Call#args()}: {@code ioctl FD vm_bind VM map bo=BO
 * va=ADDR size=SIZE} gives {@code fd}, {@code vm}, {@code bo}, {@code va} and {@code size}.
 *
 * <p>Some statements share their words and are told apart by an argument: {@code mmap 16K}
 * (a number) is {@link #MMAP}, {@code mmap fd 16K} (a name) {@link #MMAP_FILE}; {@code reg_mr
 * dmabuf=...} and {@code reg_mr addr=...} by their keys. Whether the model implements an
 * operation is the interpreter's business, not the parser's.
 */
public enum Operation {
    // Processes and memory
    FORK(Context.PROCESS, "fork CHILD"),
    EXEC(Context.PROCESS, "exec"),
    EXIT(Context.PROCESS, "exit"),
    MMAP(Context.PROCESS, "P = mmap SIZE [prot=PROT] [shared] [at=ADDR]"),
    MMAP_FILE(Context.PROCESS, "P = mmap FD SIZE [offset=VALUE] [prot=PROT] [at=ADDR] [region=mmio|dus]"),
    MUNMAP(Context.PROCESS, "munmap ADDR SIZE"),
    MPROTECT(Context.PROCESS, "mprotect ADDR SIZE PROT"),
    MADVISE(Context.PROCESS, "madvise ADDR SIZE advice:dontneed|dontfork|dofork|wipeonfork|keeponfork"),
    WRITE(Context.PROCESS, "write ADDR DATA"),
    READ(Context.PROCESS, "X = read ADDR COUNT"),
    CLOSE(Context.PROCESS, "close FD"),
    SEND(Context.PROCESS, "send FD to PROC as NAME"),
    RECV(Context.PROCESS, "recv NAME"),
    SIGNAL(Context.ANY, "signal EVENT"),
    AWAIT(Context.ANY, "await EVENT"),
    WAIT(Context.ANY, "wait F"),

    // Kernel activity
    MIGRATE(Context.KERNEL, "migrate PROC ADDR SIZE"),
    RECLAIM(Context.KERNEL, "reclaim PROC ADDR SIZE"),
    EVICT(Context.KERNEL, "evict OBJ"),
    DEVCOREDUMP(Context.KERNEL, "devcoredump DEVICE"),
    DEVCOREDUMP_READ(Context.ANY, "D = devcoredump_read DEVICE"),
    DEVCOREDUMP_DELETE(Context.ANY, "devcoredump_delete DEVICE"),

    // DRM-style device
    OPEN(Context.PROCESS, "FD = open DEVICE [cloexec]"),
    VM_CREATE(Context.PROCESS, "VM = ioctl FD vm_create"),
    VM_DESTROY(Context.PROCESS, "ioctl FD vm_destroy VM"),
    GEM_CREATE(Context.PROCESS,
            "BO = ioctl FD gem_create SIZE [placement=system|vram|vram,system] [caching=wb|wc|uc]"),
    GEM_CLOSE(Context.PROCESS, "ioctl FD gem_close BO"),
    GEM_MMAP_OFFSET(Context.PROCESS, "OFF = ioctl FD gem_mmap_offset BO"),
    VM_BIND_MAP(Context.PROCESS, "ioctl FD vm_bind VM map bo=BO [bo_offset=SIZE] va=ADDR size=SIZE [dumpable]"),
    VM_BIND_USERPTR(Context.PROCESS, "ioctl FD vm_bind VM userptr addr=ADDR va=ADDR size=SIZE [dumpable]"),
    VM_BIND_UNMAP(Context.PROCESS, "ioctl FD vm_bind VM unmap va=ADDR size=SIZE"),
    EXEC_QUEUE_CREATE(Context.PROCESS, "Q = ioctl FD exec_queue_create vm=VM"),
    EXEC_COPY(Context.PROCESS, "F = ioctl FD exec queue=Q copy src=ADDR dst=ADDR size=SIZE"),
    EXEC_FILL(Context.PROCESS, "F = ioctl FD exec queue=Q fill dst=ADDR size=SIZE byte=BYTE"),
    PRIME_HANDLE_TO_FD(Context.PROCESS, "DB = ioctl FD prime_handle_to_fd BO [cloexec] [rdwr]"),
    PRIME_FD_TO_HANDLE(Context.PROCESS, "BO = ioctl FD prime_fd_to_handle DB"),

    // dma-buf
    DMA_BUF_SYNC(Context.PROCESS, "ioctl DB dma_buf_sync phase:start|end access:read|write|rw"),
    DMA_BUF_INFO(Context.PROCESS, "I = ioctl DB dma_buf_info"),

    // Accelerator framework
    START_Q(Context.PROCESS, "ioctl FD start_q"),
    PUT_Q(Context.PROCESS, "ioctl FD put_q"),
    MEM_ALLOC(Context.PROCESS, "H = ioctl FD mem_alloc SIZE"),
    MEM_FREE(Context.PROCESS, "ioctl FD mem_free H"),
    MEM_EXPORT(Context.PROCESS, "DB = ioctl FD mem_export H [rdwr]"),
    DMA_MAP(Context.PROCESS, "ioctl FD dma_map addr=ADDR size=SIZE"),
    SUBMIT(Context.PROCESS, "F = submit DB op=copy src=ADDR dst=ADDR size=SIZE"),

    // RDMA NIC
    REG_MR_DMABUF(Context.PROCESS, "MR = ioctl FD reg_mr dmabuf=DB"),
    REG_MR_USER(Context.PROCESS, "MR = ioctl FD reg_mr addr=ADDR size=SIZE"),
    RDMA_READ(Context.PROCESS, "ioctl FD rdma_read mr=MR offset=SIZE size=SIZE into=ADDR"),
    RDMA_WRITE(Context.PROCESS, "ioctl FD rdma_write mr=MR offset=SIZE data=DATA"),

    // Debugger
    DEBUG_ATTACH(Context.PROCESS, "DBG = debug_attach PROC"),
    DEBUG_READ_EVENT(Context.PROCESS, "E = debug_read_event DBG"),
    DEBUG_VM_OPEN(Context.PROCESS, "V = debug_vm_open DBG vm=VALUE"),
    DEBUG_VM_READ(Context.PROCESS, "X = debug_vm_read V va=ADDR size=VALUE"),
    DEBUG_VM_WRITE(Context.PROCESS, "debug_vm_write V va=ADDR data=DATA"),

    // Guest VM
    KVM_CREATE(Context.PROCESS, "G = kvm_create [arch=x86|arm64] [guest-pat=honor|ignore] [fwb=yes|no]"),
    KVM_MAP(Context.PROCESS, "kvm_map G gpa=ADDR addr=ADDR size=SIZE"),
    GUEST_MAP(Context.PROCESS, "guest_map G gpa=ADDR size=SIZE [caching=wb|wc|uc]"),
    GUEST_READ(Context.PROCESS, "X = guest_read G gpa=ADDR size=COUNT"),
    GUEST_WRITE(Context.PROCESS, "guest_write G gpa=ADDR data=DATA");

    /** Where an operation may run. */
    public enum Context {
        /** In a thread of a process. */
        PROCESS,
        /** Only in a {@code thread kernel.NAME} block. */
        KERNEL,
        /** Anywhere. */
        ANY
    }

    private static final Map<String, List<Operation>> BY_WORD = byWord();

    private final Context context;
    private final Signature signature;

    Operation(Context context, String spec) {
        this.context = context;
        this.signature = Signature.parse(spec);
    }

    public Context context() {
        return context;
    }

    /** The first word of the statement: {@code mmap}, {@code ioctl}, {@code debug_attach}. */
    public String word() {
        return signature.name();
    }

    /**
     * How errors name the statement: its first word, and for an {@code ioctl} the request too
     * ({@code ioctl prime_handle_to_fd}).
     */
    public String title() {
        if (!word().equals("ioctl")) {
            return word();
        }
        String[] parts = usage().split("\\s+");
        for (int i = 0; i + 2 < parts.length; i++) {
            if (parts[i].equals("ioctl")) {
                return "ioctl " + parts[i + 2];
            }
        }
        return word();
    }

    /**
     * Whether the statement enters the kernel through a system call when a process runs it, for
     * the cost counters: not a CPU load or store ({@code write}, {@code read} of memory), a
     * guest's access ({@code guest_map}, {@code guest_read}, {@code guest_write}), the scenario's
     * own synchronisation ({@code signal}, {@code await}) or what a kernel thread does ({@code
     * migrate}, {@code reclaim}, {@code evict}, {@code devcoredump}). {@code wait F} is one (a
     * DRM syncobj wait, a sync_file or uacce poll), as are reads of files ({@code
     * devcoredump_read}, {@code debug_vm_read}). {@code submit} is a store to a doorbell (the
     * queue fd's form as well) in every design but {@code accel=kernel-submit}, whose ioctl the
     * accel model counts itself. A kernel thread enters no system call whatever it runs ({@code
     * wait F} there is a {@code dma_fence_wait}); the interpreter checks that.
     */
    public boolean syscall() {
        return switch (this) {
            case WRITE, READ, GUEST_MAP, GUEST_READ, GUEST_WRITE, SIGNAL, AWAIT, MIGRATE, RECLAIM, EVICT,
                    DEVCOREDUMP, SUBMIT -> false;
            default -> true;
        };
    }

    /** Whether the statement may bind its result: {@code p = mmap 4K}. */
    public boolean returnsValue() {
        return signature.returnsValue();
    }

    /**
     * Whether the result is a record with fields ({@code E.vm} of a debugger event, {@code
     * I.caching} of {@code dma_buf_info}) rather than a number, bytes or a fence.
     */
    public boolean resultHasFields() {
        return this == DEBUG_READ_EVENT || this == DMA_BUF_INFO;
    }

    /** The syntax, as in the language contract: {@code munmap ADDR SIZE}. */
    public String usage() {
        return signature.usage();
    }

    Signature signature() {
        return signature;
    }

    /** The operations whose statements start with {@code word}, in table order. */
    static List<Operation> named(String word) {
        return BY_WORD.getOrDefault(word, List.of());
    }

    static Set<String> words() {
        return BY_WORD.keySet();
    }

    private static Map<String, List<Operation>> byWord() {
        Map<String, List<Operation>> map = new LinkedHashMap<>();
        for (Operation op : values()) {
            map.computeIfAbsent(op.word(), w -> new ArrayList<>()).add(op);
        }
        map.replaceAll((w, ops) -> List.copyOf(ops));
        return Collections.unmodifiableMap(map);
    }

    /** The usage of this operation and of the others with the same words, joined by "or". */
    String usages() {
        return String.join(" or ", Arrays.stream(values())
                .filter(op -> op.signature.title().equals(signature.title()))
                .map(Operation::usage).toList());
    }
}
