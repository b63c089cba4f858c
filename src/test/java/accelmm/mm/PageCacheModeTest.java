package accelmm.mm;

import static accelmm.mm.MmFixture.mmapAnon;
import static accelmm.mm.MmFixture.mmapFile;
import static accelmm.mm.MmFixture.pte;
import static accelmm.mm.MmFixture.writeByte;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Memory types in the mm layer: a special PTE keeps the type its fault handler chose ({@code
 * vmf_insert_pfn_prot}), normal pages are WB, a CPU access reports the type of the PTE it went
 * through, and a frame's own type lasts until it is freed.
 */
class PageCacheModeTest {

    private final MmFixture fx = new MmFixture();
    private final Task p = fx.process("P");
    private final List<MemoryAccess> cpuAccesses = new ArrayList<>();

    {
        fx.kernel.physicalMemory().addObserver((access, labels) -> {
            if (access.via() == MemoryAccess.Via.CPU) {
                cpuAccesses.add(access);
            }
        });
    }

    @Test
    void store_throughWcPfnPte_accessCarriesWc() {
        fx.run(() -> {
            TestFiles.PfnDevice device = new TestFiles.PfnDevice(fx.kernel);
            device.cacheMode = PageCacheMode.WC;
            long a = mmapFile(p, fx.openDevice(p, device), 1, true, 0);

            writeByte(p, a, 0x11);

            assertThat(pte(p, a).cacheMode()).isEqualTo(PageCacheMode.WC);
            assertThat(cpuAccesses).extracting(MemoryAccess::cacheMode).containsExactly(PageCacheMode.WC);
        });
    }

    @Test
    void store_toAnonPage_isWb() {
        fx.run(() -> {
            long a = mmapAnon(p, 1);

            writeByte(p, a, 0x11);

            assertThat(pte(p, a).cacheMode()).isEqualTo(PageCacheMode.WB);
            assertThat(cpuAccesses).extracting(MemoryAccess::cacheMode).containsExactly(PageCacheMode.WB);
        });
    }

    /** copy_page_range copies a PFN map's entries as they are, type included. */
    @Test
    void fork_pfnmapPte_childKeepsItsMemoryType() {
        fx.run(() -> {
            TestFiles.PfnDevice device = new TestFiles.PfnDevice(fx.kernel);
            device.cacheMode = PageCacheMode.UC;
            long a = mmapFile(p, fx.openDevice(p, device), 1, true, 0);
            writeByte(p, a, 0x11);

            Task child = p.fork("C");

            assertThat(pte(child, a).cacheMode()).isEqualTo(PageCacheMode.UC);
        });
    }

    /** The frame's own type lasts one allocation: freed, it is WB for whoever gets it next. */
    @Test
    void put_lastReference_frameTypeBackToWbForTheNextAllocation() {
        PageFrame frame = fx.kernel.physicalMemory().allocPage();
        frame.setCacheMode(PageCacheMode.WC, "owner");

        frame.put();

        assertThat(frame.cacheMode()).isEqualTo(PageCacheMode.WB);
        assertThat(frame.cacheModeOwner()).isNull();
        assertThat(fx.kernel.physicalMemory().allocPage().cacheMode()).isEqualTo(PageCacheMode.WB);
    }

    /**
     * x86's {@code lookup_memtype} (arch/x86/mm/pat/memtype.c): an address that is not RAM and
     * has no reservation is UC_MINUS — MMIO is never WB.
     */
    @Test
    void frameCacheMode_freshMmioFrame_isUc() {
        PageFrame frame = fx.kernel.physicalMemory().allocPage(new MemoryZone("dev0 mmio", true));

        assertThat(frame.cacheMode()).isEqualTo(PageCacheMode.UC);
        assertThat(frame.cacheModeOwner()).isNull();
    }

    /** A device frame whose owner mapped it WC (a VRAM BAR) is UC again once freed, not WB. */
    @Test
    void put_lastReferenceOfDeviceFrame_frameTypeBackToUc() {
        MemoryZone zone = new MemoryZone("dev0 vram", true);
        PageFrame frame = fx.kernel.physicalMemory().allocPage(zone);
        frame.setCacheMode(PageCacheMode.WC, "owner");

        frame.put();

        assertThat(frame.cacheMode()).isEqualTo(PageCacheMode.UC);
        assertThat(fx.kernel.physicalMemory().allocPage(zone).cacheMode()).isEqualTo(PageCacheMode.UC);
    }
}
