package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.firstViolation;
import static accelmm.scenario.InterpreterHarness.run;
import static accelmm.scenario.InterpreterHarness.traceLines;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.InvariantKind;
import accelmm.check.RunResult;
import accelmm.check.Violation;
import org.junit.jupiter.api.Test;

/**
 * A GPU's PRIME import of a dma-buf another driver exported (the accelerator's {@code
 * mem_export}): {@code xe_gem_prime_import} attaches dynamically with {@code allow_peer2peer}
 * under {@code importer=dynamic}, {@code drm_gem_prime_import_dev} statically under {@code
 * importer=pinned}; either way the sg object is mapped at import ({@code xe_dma_buf_init_obj} →
 * {@code ttm_bo_validate} → {@code xe_bo_move_dmabuf}), so the exporter's refusal is the
 * ioctl's errno (KERNEL-SEMANTICS HL-06, RVK-02/03, DBM-3).
 */
class InterpreterForeignImportTest {

    private static final String DEVICES = """
            device acc0 kind=accel exclusive=yes vram=1M p2p=yes
            device gpu0 kind=gpu p2p=yes
            device gpu1 kind=gpu
            device nic0 kind=rdma p2p=yes
            process A
            """;

    private static String scenario(String designs, String body) {
        return "scenario \"foreign import\"\n" + designs + DEVICES + "\nthread A.main:\n" + body;
    }

    @Test
    void primeFdToHandle_accelBufferOnGpuWithoutP2p_EPERMAtImport_HL06() {
        // hl_dmabuf_attach clears peer2peer for gpu1 (p2p=no); xe maps at import, hl_map_dmabuf says EPERM.
        RunResult r = run(scenario("design importer=dynamic\n", """
                  fd = open acc0
                  db = ioctl fd mem_export 1 rdwr     => EINVAL
                  h  = ioctl fd mem_alloc 8K
                  db2 = ioctl fd mem_export h rdwr
                  g  = open gpu1
                  ioctl g prime_fd_to_handle db2      => EPERM
                  ioctl g gem_create 4K
                """), 1);

        assertThat(r.violation()).isNull();
        assertThat(traceLines(r)).contains("A.main: gem_create 4K -> 1")
                .as("the failed import made no object and no handle").doesNotContain("A.main: prime_fd_to_handle 1 -> 1");
    }

    @Test
    void primeFdToHandle_accelBufferStaticImporter_EPERMAtImport_HL06() {
        // drm_gem_prime_import_dev: dma_buf_attach has no importer ops, so no peer2peer, even between peers.
        Violation v = firstViolation(scenario("design importer=pinned\n", """
                  fd = open acc0
                  h  = ioctl fd mem_alloc 8K
                  db = ioctl fd mem_export h rdwr
                  g  = open gpu0
                  ioctl g prime_fd_to_handle db       => EPERM
                """));

        assertThat(v).isNull();
    }

    @Test
    void gpuJob_peerImportOfAccelBuffer_readsAndWritesTheDeviceFrames_DBM3() {
        // A GPU job writes the accelerator's memory through the bus; the NIC reads it back there.
        Violation v = firstViolation(scenario("design importer=dynamic\n", """
                  fd  = open acc0
                  h   = ioctl fd mem_alloc 8K
                  db  = ioctl fd mem_export h rdwr
                  g   = open gpu0
                  imp = ioctl g prime_fd_to_handle db
                  imp2 = ioctl g prime_fd_to_handle db
                  expect imp2 == imp
                  vm  = ioctl g vm_create
                  ioctl g vm_bind vm map bo=imp va=0x100000 size=8K
                  q   = ioctl g exec_queue_create vm=vm
                  f   = ioctl g exec queue=q fill dst=0x101000 size=4K byte=0x47
                  wait f
                  expect f == ok
                  r   = open nic0
                  mr  = ioctl r reg_mr dmabuf=db
                  p   = mmap 4K
                  ioctl r rdma_read mr=mr offset=4K size=3 into=p
                  expect read p 3 == "GGG"
                """));

        assertThat(v).isNull();
    }

    @Test
    void gpuJob_noHoldImportAfterExporterClosed_useAfterFreeOnBehalfOfTheJobsOwner() {
        // Under no-hold closing the device frees the exported memory the GPU still maps: the job
        // reads freed device frames, and the checker sees the access as A's.
        Violation v = firstViolation(scenario("design dmabuf-export=no-hold\n", """
                  fd  = open acc0
                  h   = ioctl fd mem_alloc 4K
                  db  = ioctl fd mem_export h rdwr
                  g   = open gpu0
                  dst = ioctl g gem_create 4K
                  imp = ioctl g prime_fd_to_handle db
                  vm  = ioctl g vm_create
                  ioctl g vm_bind vm map bo=imp va=0x100000 size=4K
                  ioctl g vm_bind vm map bo=dst va=0x200000 size=4K
                  q   = ioctl g exec_queue_create vm=vm
                  close db
                  close fd
                  c   = ioctl g exec queue=q copy src=0x100000 dst=0x200000 size=64
                  wait c
                """));

        assertThat(v).isNotNull();
        assertThat(v.invariant()).isEqualTo(InvariantKind.USE_AFTER_FREE);
        assertThat(v.message()).contains("DEVICE read on behalf of A").contains("acc0 dram");
    }

    @Test
    void primeFdToHandle_revokingExporterStaticImporter_EOPNOTSUPP_RVK03() {
        // A static importer has no invalidate_mappings, so it cannot be revoked: refused at attach.
        Violation v = firstViolation(scenario("design importer=pinned\ndesign dmabuf-export=revoke\n", """
                  fd = open acc0
                  h  = ioctl fd mem_alloc 8K
                  db = ioctl fd mem_export h rdwr
                  g  = open gpu0
                  ioctl g prime_fd_to_handle db       => EOPNOTSUPP
                """));

        assertThat(v).isNull();
    }

    @Test
    void exec_revokedImport_invalidatedThenENODEV_RVK02() {
        // The revoke invalidates xe's mapping (xe_dma_buf_move_notify evicts the sg object); the
        // next exec revalidates it, and dma_buf_map_attachment of a revoked buffer is -ENODEV,
        // which xe_bo_move_dmabuf and drm_gpuvm_validate hand back to the exec ioctl. A bind of
        // the object validates it too (vma_lock_and_validate); a CPU fault on its mapping is
        // SIGBUS before the revoke as after it (ttm_bo_vm_reserve refuses imported pages); the
        // job queued before the revoke ran to its end first.
        RunResult r = run(scenario("design importer=dynamic\ndesign dmabuf-export=revoke\n", """
                  fd  = open acc0
                  h   = ioctl fd mem_alloc 8K
                  db  = ioctl fd mem_export h rdwr
                  g   = open gpu0
                  imp = ioctl g prime_fd_to_handle db
                  vm  = ioctl g vm_create
                  ioctl g vm_bind vm map bo=imp va=0x100000 size=8K
                  off = ioctl g gem_mmap_offset imp
                  m   = mmap g 8K offset=off
                  write m "before"                                              => EFAULT
                  q   = ioctl g exec_queue_create vm=vm
                  f   = ioctl g exec queue=q fill dst=0x100000 size=4K byte=0x47
                  close fd
                  wait f
                  expect f == ok
                  ioctl g exec queue=q fill dst=0x100000 size=4K byte=0x48      => ENODEV
                  ioctl g vm_bind vm map bo=imp va=0x200000 size=8K             => ENODEV
                  read m 4                                                      => EFAULT
                  open acc0
                """), 1);

        assertThat(r.violation()).isNull();
        assertThat(traceLines(r)).contains("A.main: exec queue=1 fill dst=0x100000 size=4K byte=0x48 -> ENODEV");
    }

    @Test
    void primeFdToHandle_revokedBuffer_ENODEV_RVK03() {
        // The revoked buffer refuses every new importer at attach (the exporter's check, as VFIO's).
        Violation v = firstViolation(scenario("design importer=dynamic\ndesign dmabuf-export=revoke\n", """
                  fd = open acc0
                  h  = ioctl fd mem_alloc 8K
                  db = ioctl fd mem_export h rdwr
                  close fd
                  g  = open gpu0
                  ioctl g prime_fd_to_handle db       => ENODEV
                """));

        assertThat(v).isNull();
    }
}
