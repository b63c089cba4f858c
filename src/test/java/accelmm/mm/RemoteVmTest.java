package accelmm.mm;

import static accelmm.mm.MmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code access_remote_vm} (mm/memory.c) with FOLL_FORCE, as ptrace uses it: GUP's {@code
 * check_vma_flags} lets a forced read through any mapping but VM_IO / VM_PFNMAP and a forced
 * write into a private one only, where it breaks COW ({@code can_follow_write_pte}: an
 * exclusive anonymous page in a COW mapping without VM_WRITE); the loop stops at a hole and
 * returns the bytes moved.
 */
class RemoteVmTest {

    private final MmFixture fx = new MmFixture();
    private final RecordingObserver observer = new RecordingObserver();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private int remote(Task tracer, Task target, long addr, byte[] buf, boolean write) {
        return fx.kernel.remoteVm().accessRemoteVm(target.mm(), tracer.principal(), MemoryAccess.Via.PTRACE, addr,
                buf, null, write);
    }

    private static String read(Task task, long addr, int length) {
        byte[] out = new byte[length];
        assertThat(task.read(addr, out)).isZero();
        return new String(out, StandardCharsets.ISO_8859_1);
    }

    @Test
    void ptr04_accessRemoteVm_anonymousMemory_readsItAsTheTracer() {
        fx.run(() -> {
            Task a = fx.process("A");
            Task d = fx.process("D");
            long addr = MmFixture.mmapAnon(a, 1);
            assertThat(a.write(addr + 8, bytes("secret"), null)).isZero();
            fx.kernel.physicalMemory().addObserver(observer);
            byte[] out = new byte[6];

            assertThat(remote(d, a, addr + 8, out, false)).isEqualTo(6);

            assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("secret");
            MemoryAccess seen = observer.last().access();
            assertThat(seen.principal()).isEqualTo(d.principal());
            assertThat(seen.via()).isEqualTo(MemoryAccess.Via.PTRACE);
            assertThat(seen.write()).isFalse();
        });
    }

    /** check_vma_flags: FOLL_FORCE reads a mapping without VM_READ (it has VM_MAYREAD). */
    @Test
    void ptr04_accessRemoteVm_protNoneMapping_readsWithForce() {
        fx.run(() -> {
            Task a = fx.process("A");
            long addr = MmFixture.mmapAnon(a, 1);
            assertThat(a.write(addr, bytes("hidden"), null)).isZero();
            assertThat(a.mprotect(addr, PAGE, Prot.NONE)).isZero();
            byte[] out = new byte[6];

            assertThat(remote(fx.process("D"), a, addr, out, false)).isEqualTo(6);
            assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("hidden");
        });
    }

    /**
     * A forced write into a read-only private mapping breaks COW: the target sees the new bytes
     * in its own exclusive copy, still mapped read-only; the fork child keeps the old page.
     */
    @Test
    void ptr04_accessRemoteVm_forcedWriteToReadOnlyPrivateMapping_breaksCowKeepsPteReadOnly() {
        fx.run(() -> {
            Task a = fx.process("A");
            long addr = MmFixture.mmapAnon(a, 1);
            assertThat(a.write(addr, bytes("orig"), null)).isZero();
            Task child = a.fork("C");
            assertThat(a.mprotect(addr, PAGE, Prot.READ)).isZero();

            assertThat(remote(fx.process("D"), a, addr, bytes("new!"), true)).isEqualTo(4);

            assertThat(read(a, addr, 4)).isEqualTo("new!");
            assertThat(read(child, addr, 4)).isEqualTo("orig");
            Pte pte = a.mm().pageTable().lookup(addr);
            assertThat(pte.writable()).isFalse();
            assertThat(pte.frame().isAnonExclusive()).isTrue();
            assertThat(a.write(addr, bytes("x"), null)).isEqualTo(Errno.EFAULT.neg());
        });
    }

    /** check_vma_flags: FOLL_FORCE does not write through a shared mapping without VM_WRITE. */
    @Test
    void ptr04_accessRemoteVm_forcedWriteToReadOnlySharedMapping_movesNothing() {
        fx.run(() -> {
            Task a = fx.process("A");
            long addr = a.mmap(0, PAGE, Prot.READ, true, false, -1, 0);
            assertThat(addr).isPositive();

            assertThat(remote(fx.process("D"), a, addr, bytes("new!"), true)).isZero();
            assertThat(read(a, addr, 4)).isEqualTo("\0\0\0\0");
        });
    }

    /** The loop stops at the first address without a VMA: the count is short, nothing is an errno. */
    @Test
    void ptr04_accessRemoteVm_rangeRunningIntoHole_returnsTheBytesBefore() {
        fx.run(() -> {
            Task a = fx.process("A");
            Task d = fx.process("D");
            long addr = MmFixture.mmapAnon(a, 2);
            assertThat(a.munmap(addr + PAGE, PAGE)).isZero();

            assertThat(remote(d, a, addr + PAGE - 4, new byte[8], false)).isEqualTo(4);
            assertThat(remote(d, a, addr + PAGE, new byte[8], false)).isZero();
        });
    }
}
