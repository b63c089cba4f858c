package accelmm.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code pmd_addr_end} (include/linux/pgtable.h): the spans bulk accesses take one step each. */
class PageTableTest {

    private static final long PMD = PageTable.PMD_SIZE;

    @Test
    void pmdAddrEnd_withinOneTable_isTheEnd() {
        assertThat(PageTable.pmdAddrEnd(PMD + 4096, PMD + 8192)).isEqualTo(PMD + 8192);
    }

    @Test
    void pmdAddrEnd_acrossTables_isTheNextBoundary() {
        assertThat(PageTable.pmdAddrEnd(PMD + 4096, 5 * PMD)).isEqualTo(2 * PMD);
        assertThat(PageTable.pmdAddrEnd(2 * PMD, 5 * PMD)).as("from a boundary").isEqualTo(3 * PMD);
    }

    /** The kernel compares unsigned: an end that wrapped past the top still ends at the boundary. */
    @Test
    void pmdAddrEnd_endThatWrapped_isTheNextBoundary() {
        long start = 0x100000;
        assertThat(PageTable.pmdAddrEnd(start, start + 0x7ffffffffffff000L)).isEqualTo(PMD);
    }
}
