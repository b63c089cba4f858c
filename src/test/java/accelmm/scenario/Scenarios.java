package accelmm.scenario;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Scenario texts shared by the parser tests. */
final class Scenarios {

    private Scenarios() {
    }

    /** The example of SCENARIO-LANGUAGE.md, verbatim. */
    static final String CONTRACT_EXAMPLE = """
            scenario "userptr mirror survives munmap race"
            design userptr=*
            device gpu0 kind=gpu vram=64M
            process A

            thread A.main:
              fd  = open gpu0
              p   = mmap 16K
              write p "hello"                                          => ok|EFAULT
              vm  = ioctl fd vm_create
              ioctl fd vm_bind vm userptr addr=p va=0x100000 size=16K  => ok|EFAULT
              dst = ioctl fd gem_create 16K placement=vram
              ioctl fd vm_bind vm map bo=dst va=0x200000 size=16K
              q   = ioctl fd exec_queue_create vm=vm
              f   = ioctl fd exec queue=q copy src=0x100000 dst=0x200000 size=16K
              wait f
              expect f == ok|EFAULT

            thread A.unmapper:
              munmap p 16K          # waits until p is bound, then races with everything after it

            expect clean when userptr=hmm
            expect violation use-after-free when userptr=hmm-no-retry
            """;

    /** Devices and processes the statement snippets refer to. */
    static final String PRELUDE = """
            scenario "snippet"
            device gpu0 kind=gpu
            device acc0 kind=accel
            device nic0 kind=rdma
            process A
            process B
            """;

    /** A scenario whose thread {@code A.main} runs {@code statements}. */
    static String inThread(String... statements) {
        return PRELUDE + "thread A.main:\n" + indent(statements);
    }

    /** A scenario whose thread {@code kernel.k} runs {@code statements}. */
    static String inKernelThread(String... statements) {
        return PRELUDE + "thread kernel.k:\n" + indent(statements);
    }

    private static String indent(String... statements) {
        return Arrays.stream(statements).map(s -> "  " + s + "\n").collect(Collectors.joining());
    }

    /** Every kind of statement and declaration in one file: what the fuzzer mutates. */
    static final String KITCHEN_SINK = """
            scenario "every statement"   # a comment
            design userptr=hmm,pin
            design fork=*
            device gpu0 kind=gpu vram=64M queues=4 sva=no p2p=yes exclusive=no
            device acc0 kind=accel sva=yes
            device nic0 kind=rdma
            process A uid=0 caps=sys_ptrace,sys_admin
            process V

            thread A.main:
                fd = open gpu0 cloexec
                p = mmap 16K prot=rw shared at=0x10000
                write p+4K "a\\x00b\\n\\"\\\\"
                write p 0xAB*4K
                write p secret "S" size=128 allow V
                x = read p-0 5
                expect x == "a"
                expect read p 4K != 0*4K
                mprotect p 4K r
                madvise p 4K dontfork
                vm = ioctl fd vm_create
                bo = ioctl fd gem_create 2M placement=vram,system caching=wc
                off = ioctl fd gem_mmap_offset bo
                c = mmap fd 2M offset=off prot=r
                ioctl fd vm_bind vm map bo=bo bo_offset=0 va=0x100000 size=2M
                ioctl fd vm_bind vm userptr addr=p va=0x400000 size=16K => ok|EFAULT|error
                q = ioctl fd exec_queue_create vm=vm
                f = ioctl fd exec queue=q fill dst=0x100000 size=4K byte=0xff
                wait f
                expect f != EFAULT
                db = ioctl fd prime_handle_to_fd bo rdwr
                i = ioctl db dma_buf_info
                expect i.caching == wc
                ioctl db dma_buf_sync start read
                send db to V as buf
                signal ready
                fork C
                ioctl fd vm_bind vm unmap va=0x100000 size=2M
                ioctl fd gem_close bo
                ioctl fd vm_destroy vm
                close fd
                exit

            thread C.child:
                exec

            thread V.main after ready:
                recv buf
                a = open acc0
                ioctl a start_q
                door = mmap a 4K region=mmio
                h = ioctl a mem_alloc 4K
                e = ioctl a mem_export h
                ioctl a dma_map addr=0x1000 size=4K
                g = submit door op=copy src=0x1000 dst=0x2000 size=4K
                ioctl a put_q
                n = open nic0
                mr = ioctl n reg_mr dmabuf=A.db
                ioctl n rdma_read mr=mr offset=0 size=4K into=0x1000
                ioctl n rdma_write mr=mr offset=4K data="x"
                dbg = debug_attach A
                ev = debug_read_event dbg
                vv = debug_vm_open dbg vm=ev.vm
                y = debug_vm_read vv va=ev.va size=ev.size
                debug_vm_write vv va=ev.va+8 data=secret "T"
                k = kvm_create
                kvm_map k gpa=0 addr=0x1000 size=4K
                guest_map k gpa=0 size=4K caching=uc
                z = guest_read k gpa=0 size=4K
                guest_write k gpa=0 data="g"
                await A.exit

            thread kernel.reclaimer:
                migrate A A.p 4K
                reclaim A A.p 4K => ok|EBUSY
                evict A.bo => EBUSY
                devcoredump gpu0

            expect clean when userptr=hmm,fork=modern
            expect violation use-after-free|stale-access when userptr=pin,hmm
            """;
}
