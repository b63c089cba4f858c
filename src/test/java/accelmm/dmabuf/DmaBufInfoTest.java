package accelmm.dmabuf;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.mm.Kernel;
import accelmm.mm.PageFrame;
import accelmm.sim.Designs;
import accelmm.sim.RandomChoiceSource;
import accelmm.sim.Simulation;
import org.junit.jupiter.api.Test;

/**
 * The core of the proposed {@code DMA_BUF_IOCTL_INFO} with {@code DMA_BUF_INFO_MAP_INFO} (Rob
 * Clark's v2, never merged; KERNEL-SEMANTICS DBI-01, DBI-02): the exporter's op answers, read
 * once at export; without the op the ioctl is -ENOSYS.
 */
class DmaBufInfoTest {

    private final Kernel kernel = new Kernel(new Simulation(new RandomChoiceSource(1)), Designs.defaults());
    private final TestExporter exporter = new TestExporter(kernel, 1, false);

    private DmaBuf export() {
        return DmaBuf.export(kernel, exporter, new DmaResv(), PageFrame.PAGE_SIZE, true);
    }

    /** DBI-01: {@code dma_buf_ioctl_info} returns -ENOSYS when the exporter has no {@code mmap_info}. */
    @Test
    void dmaBufInfo_noExporterOp_enosys() {
        assertThat(export().ioctlInfo()).isEqualTo(new DmaBuf.Info(Errno.ENOSYS.neg(), null));
    }

    /** DBI-02: the exporter's value, with the proposal's numbers. */
    @Test
    void dmaBufInfo_exporterOp_returnsItsValue() {
        exporter.mapInfo = DmaBufMapInfo.COHERENT_CACHED;

        DmaBuf.Info info = export().ioctlInfo();

        assertThat(info.errno()).isZero();
        assertThat(info.mapInfo()).isEqualTo(DmaBufMapInfo.COHERENT_CACHED);
        assertThat(info.mapInfo().value()).isEqualTo(2);
        assertThat(DmaBufMapInfo.INCOHERENT.value()).isZero();
        assertThat(DmaBufMapInfo.COHERENT_WC.value()).isEqualTo(1);
    }

    /** DBI-02: fixed at export ({@code dma_buf_export_info.map_info}); later changes are not seen. */
    @Test
    void dmaBufInfo_exporterChangesItsMind_valueFixedAtExport() {
        exporter.mapInfo = DmaBufMapInfo.COHERENT_WC;
        DmaBuf buf = export();

        exporter.mapInfo = DmaBufMapInfo.INCOHERENT;

        assertThat(buf.ioctlInfo().mapInfo()).isEqualTo(DmaBufMapInfo.COHERENT_WC);
    }
}
