package accelmm.rdma;

import static accelmm.rdma.RdmaFixture.PAGE;
import static accelmm.rdma.RdmaFixture.bytes;
import static accelmm.rdma.RdmaFixture.mmapAnon;
import static accelmm.rdma.RdmaFixture.read;
import static accelmm.rdma.RdmaFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.File;
import accelmm.mm.MemoryAccess;
import accelmm.mm.PageFrame;
import accelmm.mm.Principal;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import org.junit.jupiter.api.Test;

/**
 * The uverbs file: region handles, the NIC's reads and writes through a region (on behalf of its
 * owner, -EIO for a failed work completion), and close (RMR-07).
 */
class UverbsFileTest {

    /** ufile->idr allocates from 0 for every object; the implicit protection domain holds 0. */
    @Test
    void regMr_handles_lowestFreeFromOneAfterTheProtectionDomain() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            IbUverbsFile g = fx.openFile(a);
            long p = mmapAnon(a, 1);

            assertThat(f.regMrUser(a, p, PAGE)).isEqualTo(1);
            assertThat(f.regMrUser(a, p, 0)).isEqualTo(Errno.EINVAL.neg());
            assertThat(f.regMrUser(a, p, PAGE)).as("a failed registration frees its handle").isEqualTo(2);
            assertThat(g.regMrUser(a, p, PAGE)).as("handles are per file").isEqualTo(1);
        });
    }

    @Test
    void rdmaWrite_thenRdmaRead_roundTripsThroughTheRegion() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            long p = mmapAnon(a, 2);
            long local = mmapAnon(a, 1);
            long mr = f.regMrUser(a, p, 2 * PAGE);

            assertThat(f.rdmaWrite(mr, PAGE - 2, bytes("span"), null)).as("across a page boundary").isZero();

            assertThat(read(a, p + PAGE - 2, 4)).isEqualTo("span");
            assertThat(f.rdmaRead(a, mr, PAGE - 2, 4, local)).isZero();
            assertThat(read(a, local, 4)).isEqualTo("span");
        });
    }

    /** A region that starts inside a page: offset 0 is its start address, not the page's. */
    @Test
    void rdmaWrite_unalignedRegion_offsetsCountFromItsStart() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            long p = mmapAnon(a, 1);
            long mr = f.regMrUser(a, p + 100, 10);

            assertThat(f.rdmaWrite(mr, 3, bytes("x"), null)).isZero();
            assertThat(read(a, p + 103, 1)).isEqualTo("x");
            assertThat(f.rdmaWrite(mr, 8, bytes("xyz"), null)).as("past the region's 10 bytes")
                    .isEqualTo(Errno.EIO.neg());
        });
    }

    /**
     * A remote access error (range outside the region, unknown region) or a local protection
     * error completes the work request with an error status; the statement says -EIO, as
     * ksmbd's read_write_done does for a failed RDMA read or write.
     */
    @Test
    void rdmaRead_failedWorkCompletion_isEio() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            long p = mmapAnon(a, 1);
            long local = mmapAnon(a, 1);
            long readOnly = a.mmap(0, PAGE, Prot.READ, false, false, -1, 0);
            long mr = f.regMrUser(a, p, PAGE);

            assertThat(f.rdmaRead(a, mr, PAGE - 1, 2, local)).as("past the end").isEqualTo(Errno.EIO.neg());
            assertThat(f.rdmaRead(a, mr, -1, 2, local)).as("offset wraps").isEqualTo(Errno.EIO.neg());
            assertThat(f.rdmaRead(a, 7, 0, 1, local)).as("no such region").isEqualTo(Errno.EIO.neg());
            assertThat(f.rdmaRead(a, 0, 0, 1, local)).as("the protection domain is no region")
                    .isEqualTo(Errno.EIO.neg());
            assertThat(f.rdmaRead(a, mr, 0, 1, readOnly)).as("local buffer not writable").isEqualTo(Errno.EIO.neg());
            assertThat(f.rdmaWrite(mr, PAGE, bytes("x"), null)).isEqualTo(Errno.EIO.neg());
            assertThat(f.rdmaRead(a, mr, PAGE, 0, local)).as("an empty read at the end").isZero();
        });
    }

    /**
     * The NIC acts for the process that registered the region, whoever posts the request: a
     * file passed to B still reads A's region as A.
     */
    @Test
    void rdmaRead_byAnotherProcessWithThePassedFile_isNicAccessOnBehalfOfTheOwner() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        Task b = fx.process("B");
        fx.run(() -> {
            int fd = fx.open(a);
            IbUverbsFile f = RdmaFixture.file(a, fd);
            long p = mmapAnon(a, 1);
            write(a, p, "mine");
            long mr = f.regMrUser(a, p, PAGE);
            File passed = a.fget(fd);
            int fdB = b.installFile(passed, false);
            long local = mmapAnon(b, 1);

            assertThat(RdmaFixture.file(b, fdB).rdmaRead(b, mr, 0, 4, local)).isZero();

            assertThat(read(b, local, 4)).isEqualTo("mine");
            assertThat(fx.nicAccesses).isNotEmpty().allSatisfy(x -> {
                assertThat(x.principal()).isEqualTo(new Principal("A"));
                assertThat(x.via()).isEqualTo(MemoryAccess.Via.NIC);
            });
            b.exit();
        });
    }

    /** RMR-07: the last close deregisters every region: the pins go, the frames can be freed. */
    @Test
    void close_lastReference_deregistersEveryRegionAndUnpins_RMR07() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        fx.run(() -> {
            int fd = fx.open(a);
            IbUverbsFile f = RdmaFixture.file(a, fd);
            long p = mmapAnon(a, 2);
            f.regMrUser(a, p, PAGE);
            f.regMrUser(a, p, 2 * PAGE);
            PageFrame first = a.mm().pageTable().lookup(p).frame();
            assertThat(first.pinCount()).isEqualTo(2);
            assertThat(fx.nic.liveObjects()).containsExactly(
                    "nic0 mr 1 (4K of user memory at 0x" + Long.toHexString(p) + ") held by uverbs file 1",
                    "nic0 mr 2 (8K of user memory at 0x" + Long.toHexString(p) + ") held by uverbs file 1");

            assertThat(a.close(fd)).isZero();

            assertThat(first.pinCount()).isZero();
            assertThat(fx.nic.liveObjects()).isEmpty();
        });
    }

    /** Exit closes the file after the address space went: the pinned pages are freed last. */
    @Test
    void exit_withRegisteredRegion_leavesNothing_RMR07() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            long p = mmapAnon(a, 4);
            write(a, p, "data");
            f.regMrUser(a, p, 4 * PAGE);

            a.exit();

            fx.assertNothingLeft();
        });
    }

    /** A NIC access of at most 256K has a preemption point before each page it touches. */
    @Test
    void rdmaWrite_fewPages_preemptionPointPerPage() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            long p = mmapAnon(a, 4);
            long mr = f.regMrUser(a, p, 4 * PAGE);
            long before = fx.sim.steps();

            assertThat(f.rdmaWrite(mr, 0, new byte[4 * PAGE], null)).isZero();

            assertThat(fx.sim.steps() - before).isEqualTo(4);
        });
    }

    /**
     * Above 256K the NIC takes one step per 2M span of the region (BulkAccess): a 4M write
     * starting at a 2M boundary is two steps.
     */
    @Test
    void rdmaWrite_largerThanPagewise_preemptionPointPer2MSpan() {
        RdmaFixture fx = new RdmaFixture();
        Task a = fx.process("A");
        fx.run(() -> {
            IbUverbsFile f = fx.openFile(a);
            long p = a.mmap(0, 6L << 20, Prot.READ_WRITE, false, false, -1, 0);
            long start = (p + (2L << 20) - 1) & -(2L << 20);
            long mr = f.regMrUser(a, start, 4L << 20);
            long before = fx.sim.steps();

            assertThat(f.rdmaWrite(mr, 0, new byte[4 << 20], null)).isZero();

            assertThat(fx.sim.steps() - before).isEqualTo(2);
        });
    }
}
