package accelmm.rdma;

import static accelmm.rdma.RdmaFixture.PAGE;
import static accelmm.rdma.RdmaFixture.bytes;
import static accelmm.rdma.RdmaFixture.mmapAnon;
import static accelmm.rdma.RdmaFixture.read;
import static accelmm.rdma.RdmaFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.PageFrame;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import org.junit.jupiter.api.Test;

/**
 * {@code reg_mr addr= size=} over user memory (KERNEL-SEMANTICS 18, RMR-01): {@code ib_umem_get}
 * pins with {@code FOLL_LONGTERM | FOLL_WRITE}, and the region keeps those pages until it is
 * deregistered, whatever the process maps there later.
 */
class RegMrUserTest {

    @Test
    void regMr_userMemory_keepsOldPagesAfterMunmap_RMR01() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            long p = mmapAnon(a, 2);
            long local = mmapAnon(a, 1);
            write(a, p, "hello");
            long mr = f.regMrUser(a, p, 2 * PAGE);
            assertThat(mr).isPositive();
            PageFrame pinned = a.mm().pageTable().lookup(p).frame();

            assertThat(a.munmap(p, 2 * PAGE)).isZero();

            assertThat(pinned.isFree()).as("the pin keeps the frame").isFalse();
            assertThat(f.rdmaRead(a, mr, 0, 5, local)).isZero();
            assertThat(read(a, local, 5)).isEqualTo("hello");
            assertThat(fx.nicAccesses).isNotEmpty().noneMatch(x -> x.invalidatedMapping());
            assertThat(fx.staleNicAccesses).as("use-after-free").isEmpty();
        });
    }

    @Test
    void regMr_userMemory_rangeRemapped_processAndNicSeeDifferentPages_RMR01() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            long p = mmapAnon(a, 1);
            long local = mmapAnon(a, 1);
            long mr = f.regMrUser(a, p, PAGE);
            long again = a.mmap(p, PAGE, Prot.READ_WRITE, false, true, -1, 0);
            assertThat(again).isEqualTo(p);
            write(a, p, "cpu's");

            assertThat(f.rdmaWrite(mr, 0, bytes("nic's"), null)).isZero();

            assertThat(read(a, p, 5)).as("the process's new page").isEqualTo("cpu's");
            assertThat(f.rdmaRead(a, mr, 0, 5, local)).isZero();
            assertThat(read(a, local, 5)).as("the region's old page").isEqualTo("nic's");
        });
    }

    @Test
    void regMr_userMemory_pinsEveryPageLongterm_RMR01() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            long p = mmapAnon(a, 3);

            assertThat(f.regMrUser(a, p + 100, 2 * PAGE)).as("an unaligned start takes its page too").isPositive();

            for (int i = 0; i < 3; i++) {
                assertThat(a.mm().pageTable().lookup(p + (long) i * PAGE).frame().pinCount()).as("page %d", i)
                        .isEqualTo(1);
            }
            assertThat(a.mm().hasPinned()).isTrue();
        });
    }

    /** ib_umem_get: npages == 0 is -EINVAL before anything is pinned. */
    @Test
    void regMr_zeroLength_isEinval_RMR01() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            long p = mmapAnon(a, 1);

            assertThat(f.regMrUser(a, p, 0)).isEqualTo(Errno.EINVAL.neg());
            assertThat(fx.nic.liveObjects()).isEmpty();
        });
    }

    /** ib_umem_get: addr + size wrapping is -EINVAL. */
    @Test
    void regMr_rangeWraps_isEinval_RMR01() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);

            assertThat(f.regMrUser(a, -PAGE, 2 * PAGE)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.regMrUser(a, -100, 50)).as("PAGE_ALIGN of the end wraps").isEqualTo(Errno.EINVAL.neg());
        });
    }

    /** GUP's error ends the registration; __ib_umem_release unpins what was pinned before it. */
    @Test
    void regMr_holeInRange_isEfaultAndUnpinsWhatWasPinned() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            long p = mmapAnon(a, 3);
            assertThat(a.munmap(p + 2 * PAGE, PAGE)).isZero();

            assertThat(f.regMrUser(a, p, 3 * PAGE)).isEqualTo(Errno.EFAULT.neg());

            assertThat(a.mm().pageTable().lookup(p).frame().pinCount()).isZero();
            assertThat(a.mm().pageTable().lookup(p + PAGE).frame().pinCount()).isZero();
            assertThat(fx.nic.liveObjects()).isEmpty();
        });
    }

    /** The region is writable, so the pin is FOLL_WRITE: a read-only mapping cannot be pinned. */
    @Test
    void regMr_readOnlyMapping_isEfault() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            long p = a.mmap(0, PAGE, Prot.READ, false, false, -1, 0);

            assertThat(f.regMrUser(a, p, PAGE)).isEqualTo(Errno.EFAULT.neg());
        });
    }

    /**
     * KERNEL-SEMANTICS 13.2: a write pin of a page shared copy-on-write with a child breaks COW
     * first, so the NIC writes the parent's own copy and the child keeps its view.
     */
    @Test
    void regMr_cowSharedPageAfterFork_pinsTheParentsCopy() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            long p = mmapAnon(a, 1);
            write(a, p, "before");
            Task child = a.fork("B");
            long mr = f.regMrUser(a, p, PAGE);

            assertThat(f.rdmaWrite(mr, 0, bytes("after!"), null)).isZero();

            assertThat(read(a, p, 6)).isEqualTo("after!");
            assertThat(read(child, p, 6)).isEqualTo("before");
            child.exit();
        });
    }

    /** A later fork copies the pinned page for the child (COW-08): the NIC stays coherent with the parent. */
    @Test
    void fork_afterRegMr_childGetsACopyAndNicWritesReachOnlyTheParent() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            long p = mmapAnon(a, 1);
            write(a, p, "before");
            long mr = f.regMrUser(a, p, PAGE);
            Task child = a.fork("B");

            assertThat(f.rdmaWrite(mr, 0, bytes("after!"), null)).isZero();

            assertThat(read(a, p, 6)).isEqualTo("after!");
            assertThat(read(child, p, 6)).isEqualTo("before");
            child.exit();
        });
    }
}
