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

    /**
     * The kernel's addresses are unsigned: an end past {@code Long.MAX_VALUE} (negative as a Java
     * long, as a range that runs past the top of the positive longs gives) is above the boundary.
     */
    @Test
    void pmdAddrEnd_endPastLongMaxValue_comparesUnsignedAndIsTheNextBoundary() {
        long start = 0x100000;
        long end = start + 0x7ffffffffffff000L;
        assertThat(end).as("negative as a signed long").isNegative();

        assertThat(PageTable.pmdAddrEnd(start, end)).isEqualTo(PMD);
    }

    /** An end of 0 is a range that reaches the top of the 64-bit address space (2^64 wrapped). */
    @Test
    void pmdAddrEnd_endZeroForTheTopOfTheAddressSpace_isTheNextBoundary() {
        assertThat(PageTable.pmdAddrEnd(0x100000, 0)).isEqualTo(PMD);
        assertThat(PageTable.pmdAddrEnd(-PMD + 4096, 0)).as("in the last span").isZero();
    }
}
