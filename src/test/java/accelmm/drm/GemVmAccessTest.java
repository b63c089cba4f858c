package accelmm.drm;

import static accelmm.drm.DrmFixture.PAGE;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.MemoryAccess;
import accelmm.mm.Prot;
import accelmm.mm.Task;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code access} hook of GEM and dma-buf mmaps ({@code ttm_bo_vm_access},
 * drivers/gpu/drm/ttm/ttm_bo_vm.c, behind xe's {@code xe_bo_vm_access}): GUP cannot follow their
 * PFN maps, so {@code access_remote_vm} reads and writes the object through the object, VRAM
 * included; a range that runs past the object is -EIO from the hook, and nothing is moved.
 */
class GemVmAccessTest {

    private final DrmFixture fx = new DrmFixture(UserptrDesign.HMM);
    private final Task a = fx.process("A");
    private final Task d = fx.process("D");
    private final List<MemoryAccess> seen = new ArrayList<>();

    private int remote(long addr, byte[] buf, boolean write) {
        return fx.kernel.remoteVm().accessRemoteVm(a.mm(), d.principal(), MemoryAccess.Via.PTRACE, addr, buf, null,
                write);
    }

    @Test
    void ptr04_accessRemoteVm_gemMmapOfVramBo_readsThroughTheHook() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int h = f.gemCreate(2L * PAGE, GemPlacement.VRAM, GemCaching.WC);
            long cpu = DrmFixture.mmapBo(a, fd, f, h, 2);
            DrmFixture.write(a, cpu + PAGE - 3, "in vram");
            fx.kernel.physicalMemory().addObserver((access, labels) -> seen.add(access));
            byte[] out = new byte[7];

            assertThat(remote(cpu + PAGE - 3, out, false)).isEqualTo(7);

            assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("in vram");
            assertThat(seen).hasSize(2).allSatisfy(access -> {
                assertThat(access.principal()).isEqualTo(d.principal());
                assertThat(access.via()).isEqualTo(MemoryAccess.Via.PTRACE);
                assertThat(access.mapping().kind()).as("xe_ttm_access_memory for VRAM").startsWith("access_memory ");
            });
            assertThat(seen.get(1).frame()).isSameAs(f.object(h).page(1));
        });
    }

    @Test
    void ptr04_accessRemoteVm_writeThroughGemMmap_landsInTheObject() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int h = f.gemCreate(PAGE, GemPlacement.VRAM, GemCaching.WC);
            long cpu = DrmFixture.mmapBo(a, fd, f, h, 1);

            assertThat(remote(cpu + 2, DrmFixture.bytes("poke"), true)).isEqualTo(4);

            assertThat(fx.boContents(f.object(h), 0, 6)).isEqualTo("\0\0poke");
        });
    }

    /** ttm_bo_vm_access is asked for the whole rest of the range: past the object's end it is -EIO, and the loop stops. */
    @Test
    void ptr04_accessRemoteVm_gemMmapRangePastTheObject_movesNothing() {
        fx.run(() -> {
            int fd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, fd);
            int h = f.gemCreate(PAGE, GemPlacement.SYSTEM, GemCaching.WB);
            long cpu = DrmFixture.mmapBo(a, fd, f, h, 1);

            assertThat(remote(cpu + PAGE - 4, new byte[8], false)).isZero();
        });
    }

    /** drm_gem_prime_mmap keeps the object's vm_ops: a dma-buf mmap has the same hook. */
    @Test
    void ptr04_accessRemoteVm_dmaBufMmap_readsThroughTheObjectsHook() {
        fx.run(() -> {
            int drmFd = fx.gpu.open(a, false);
            DrmFile f = DrmFixture.file(a, drmFd);
            int h = f.gemCreate(PAGE);
            long cpu = DrmFixture.mmapBo(a, drmFd, f, h, 1);
            DrmFixture.write(a, cpu, "shared");
            int bufFd = f.primeHandleToFd(a, h, false, false);
            long m = a.mmap(0, PAGE, Prot.READ, true, false, bufFd, 0);
            assertThat(m).isPositive();
            byte[] out = new byte[6];

            assertThat(remote(m, out, false)).isEqualTo(6);
            assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("shared");
        });
    }
}
