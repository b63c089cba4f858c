package accelmm.drm;

import static accelmm.drm.DrmGpuvmSplitMergeTest.A;
import static accelmm.drm.DrmGpuvmSplitMergeTest.B;
import static accelmm.drm.DrmGpuvmSplitMergeTest.N;
import static accelmm.drm.DrmGpuvmSplitMergeTest.va;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.mm.Errno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The VA space of a drm_gpuvm: range checks, the kernel-reserved node, insert and remove, the
 * lookups, and the misuse of {@code apply}. The VM spans [16, 64) and reserves [16, 20).
 */
class DrmGpuvmTest {

    private final DrmGpuvm<String> vm = new DrmGpuvm<>("vm", 16, 48, 16, 4);

    @AfterEach
    void invariantsHold() {
        vm.checkInvariants();
    }

    // ---- range checks --------------------------------------------------------------------------

    @ParameterizedTest(name = "[{0}, +{1}) valid: {2}")
    @CsvSource({
        "20, 44, true", // all of the space after the kernel node
        "63, 1, true", // last address
        "64, 1, false", // first address past the space
        "60, 5, false", // ends past the space
        "10, 4, false", // starts before the space
        "19, 2, false", // overlaps the kernel node's end
        "16, 1, false", // inside the kernel node
        "30, 0, false", // empty: refused by the model (drivers refuse it before the kernel)
        "-1, 2, false", // a u64 address beyond 2^63
        "30, -1, false", // a u64 range beyond 2^63
        "9223372036854775807, 1, false", // overflows
    })
    void rangeValid_boundaries_matchKernelChecks(long addr, long range, boolean valid) {
        assertThat(vm.rangeValid(addr, range)).isEqualTo(valid);
    }

    @ParameterizedTest(name = "[{0}, +{1})")
    @CsvSource({"64, 1", "60, 5", "10, 4", "19, 2", "30, 0", "-1, 2", "9223372036854775807, 1"})
    void smMap_invalidRange_returnsEinvalAndNoSteps(long addr, long range) {
        VaOps<String> ops = vm.smMap(addr, range, A, N);

        assertThat(ops.ret()).isEqualTo(Errno.EINVAL.neg());
        assertThat(ops.ops()).isEmpty();
        assertThat(vm.vas()).containsExactly(vm.kernelNode());
    }

    @ParameterizedTest(name = "[{0}, +{1})")
    @CsvSource({"64, 1", "60, 5", "10, 4", "19, 2", "30, 0"})
    void smUnmap_invalidRange_returnsEinval(long addr, long range) {
        assertThat(vm.smUnmap(addr, range).ret()).isEqualTo(Errno.EINVAL.neg());
    }

    @Test
    void smMap_wholeSpaceAfterKernelNode_mapsIt() {
        vm.apply(vm.smMap(20, 44, A, N));

        assertThat(vm.vas()).containsExactly(vm.kernelNode(), va(20, 44, A, N));
    }

    @Test
    void constructor_overflowingSpace_isCallerBug() {
        assertThatThrownBy(() -> new DrmGpuvm<String>("bad", Long.MAX_VALUE, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- insert and remove ---------------------------------------------------------------------

    @Test
    void insert_freeValidRange_returnsZeroAndDoesNotLink() {
        assertThat(vm.insert(va(20, 4, A, N))).isZero();

        assertThat(vm.find(20, 4)).isEqualTo(va(20, 4, A, N));
        assertThat(vm.vmBos()).isEmpty();
    }

    @Test
    void insert_overlappingMapping_returnsEexist() {
        vm.insert(va(20, 4, A, N));

        assertThat(vm.insert(va(23, 2, B, N))).isEqualTo(Errno.EEXIST.neg());
        assertThat(vm.insert(va(24, 2, B, N))).isZero();
    }

    @Test
    void insert_onKernelNodeOrOutside_returnsEinval() {
        assertThat(vm.insert(va(18, 4, A, N))).isEqualTo(Errno.EINVAL.neg());
        assertThat(vm.insert(va(62, 4, A, N))).isEqualTo(Errno.EINVAL.neg());
    }

    @Test
    void remove_kernelNode_isCallerBug() {
        assertThatThrownBy(() -> vm.remove(vm.kernelNode())).isInstanceOf(IllegalArgumentException.class);
        assertThat(vm.kernelNode()).isEqualTo(va(16, 4, null, 0));
    }

    @Test
    void remove_mappingNotInVm_isCallerBug() {
        vm.insert(va(20, 4, A, N));

        assertThatThrownBy(() -> vm.remove(va(20, 4, A, N + 1))).isInstanceOf(IllegalStateException.class);
        vm.remove(va(20, 4, A, N));
        assertThat(vm.vas()).containsExactly(vm.kernelNode());
    }

    // ---- lookups -------------------------------------------------------------------------------

    @Test
    void findFirst_rangeOverSeveral_returnsLowestOverlapping() {
        vm.insert(va(22, 4, A, N));
        vm.insert(va(28, 2, B, N));

        assertThat(vm.findFirst(24, 10)).isEqualTo(va(22, 4, A, N));
        assertThat(vm.findFirst(26, 10)).isEqualTo(va(28, 2, B, N));
        assertThat(vm.findFirst(26, 2)).isNull();
        assertThat(vm.findFirst(10, 8)).isEqualTo(vm.kernelNode());
    }

    @Test
    void find_onlyExactRange_returnsMapping() {
        vm.insert(va(22, 4, A, N));

        assertThat(vm.find(22, 4)).isEqualTo(va(22, 4, A, N));
        assertThat(vm.find(22, 3)).isNull();
        assertThat(vm.find(23, 3)).isNull();
    }

    @Test
    void intervalEmpty_holeBetweenMappings_trueOnlyForTheHole() {
        vm.insert(va(22, 4, A, N));
        vm.insert(va(28, 2, B, N));

        assertThat(vm.intervalEmpty(26, 2)).isTrue();
        assertThat(vm.intervalEmpty(25, 2)).isFalse();
        assertThat(vm.intervalEmpty(26, 3)).isFalse();
    }

    @Test
    void findPrev_adjacentMapping_returnsIt() {
        vm.insert(va(22, 4, A, N));
        vm.insert(va(26, 2, B, N));

        assertThat(vm.findPrev(26)).isEqualTo(va(22, 4, A, N));
    }

    /** The kernel's code queries [start - 1, start]; its DOC says free space yields no mapping. */
    @Test
    void findPrev_freeSpaceBefore_returnsMappingAtStartAsKernelCodeDoes() {
        vm.insert(va(26, 2, B, N));

        assertThat(vm.findPrev(26)).isEqualTo(va(26, 2, B, N));
        assertThat(vm.findPrev(30)).isNull();
    }

    @Test
    void findPrev_startRightAfterKernelNode_returnsNothing() {
        vm.insert(va(20, 2, A, N));

        assertThat(vm.findPrev(20)).isNull();
    }

    @Test
    void findNext_adjacentMapping_returnsIt() {
        vm.insert(va(22, 4, A, N));
        vm.insert(va(26, 2, B, N));

        assertThat(vm.findNext(26)).isEqualTo(va(26, 2, B, N));
    }

    /** The kernel's code queries [end, end + 1]; a mapping one address past a gap is found. */
    @Test
    void findNext_oneAddressGap_returnsMappingAfterGapAsKernelCodeDoes() {
        vm.insert(va(22, 4, A, N));
        vm.insert(va(27, 2, B, N));

        assertThat(vm.findNext(26)).isEqualTo(va(27, 2, B, N));
        assertThat(vm.findNext(29)).isNull();
        assertThat(vm.findNext(64)).isNull();
    }

    @Test
    void vas_rangeAndAll_inAddressOrderWithKernelNode() {
        vm.insert(va(28, 2, B, N));
        vm.insert(va(22, 4, A, N));
        vm.insert(va(40, 4, A, N + 10));

        assertThat(vm.vas(24, 40)).containsExactly(va(22, 4, A, N), va(28, 2, B, N));
        assertThat(vm.vas(17, 23)).containsExactly(vm.kernelNode(), va(22, 4, A, N));
        assertThat(vm.vas()).containsExactly(vm.kernelNode(), va(22, 4, A, N), va(28, 2, B, N), va(40, 4, A, N + 10));
        assertThat(vm.vaCount()).isEqualTo(4);
    }

    // ---- apply ---------------------------------------------------------------------------------

    @Test
    void apply_refusedRequest_isCallerBug() {
        VaOps<String> refused = vm.smMap(10, 4, A, N);

        assertThatThrownBy(() -> vm.apply(refused)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void apply_opsComputedBeforeAnotherApply_throwsAsStale() {
        vm.apply(vm.smMap(20, 4, A, N));
        VaOps<String> first = vm.smMap(22, 4, B, N);
        VaOps<String> second = vm.smMap(21, 2, B, N);
        vm.apply(first);

        assertThatThrownBy(() -> vm.apply(second)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void apply_twoRequestsIntoOneHole_secondMapThrowsAsStale() {
        VaOps<String> first = vm.smMap(20, 4, A, N);
        VaOps<String> second = vm.smMap(22, 4, B, N);
        vm.apply(first);

        assertThatThrownBy(() -> vm.apply(second)).isInstanceOf(IllegalStateException.class);
        assertThat(vm.vas()).containsExactly(vm.kernelNode(), va(20, 4, A, N));
    }
}
