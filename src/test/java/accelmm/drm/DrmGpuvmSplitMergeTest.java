package accelmm.drm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The documented split/merge cases of drm_gpuvm ("DOC: Split and Merge" in
 * drivers/gpu/drm/drm_gpuvm.c; KERNEL-SEMANTICS.md §11, GV-01..GV-16): the exact steps
 * {@code sm_map} / {@code sm_unmap} compute, and the tree after applying them. Addresses are
 * in the diagrams' units; object offsets are n = {@value #N} and m = {@value #M}.
 */
class DrmGpuvmSplitMergeTest {

    static final String A = "a";
    static final String B = "b";
    static final long N = 100;
    static final long M = 200;

    private final DrmGpuvm<String> vm = new DrmGpuvm<>("test", 0, 16);

    @AfterEach
    void invariantsHold() {
        vm.checkInvariants();
    }

    // ---- GV-01..GV-04: the request covers the old mapping ------------------------------------

    @Test
    void smMap_GV01_identicalRequest_unmapsWithKeepAndMapsAgain() {
        GpuVa<String> old = mapped(0, 1, A, N);

        List<VaOp<String>> ops = smMapAndApply(0, 1, A, N);

        assertThat(ops).containsExactly(unmap(old, true), map(0, 1, A, N));
        assertThat(vm.vas()).containsExactly(va(0, 1, A, N));
    }

    @Test
    void smMap_GV02_sameRangeOtherOffset_replacesWithoutKeep() {
        GpuVa<String> old = mapped(0, 1, A, N);

        List<VaOp<String>> ops = smMapAndApply(0, 1, A, M);

        assertThat(ops).containsExactly(unmap(old, false), map(0, 1, A, M));
        assertThat(vm.vas()).containsExactly(va(0, 1, A, M));
    }

    @Test
    void smMap_GV03_sameRangeOtherObject_replacesWithoutKeep() {
        GpuVa<String> old = mapped(0, 1, A, N);

        List<VaOp<String>> ops = smMapAndApply(0, 1, B, N);

        assertThat(ops).containsExactly(unmap(old, false), map(0, 1, B, N));
        assertThat(vm.vas()).containsExactly(va(0, 1, B, N));
    }

    @Test
    void smMap_GV04_oldIsLeftAlignedSubset_replacedByOneMappingWithKeep() {
        GpuVa<String> old = mapped(0, 1, A, N);

        List<VaOp<String>> ops = smMapAndApply(0, 2, A, N);

        assertThat(ops).containsExactly(unmap(old, true), map(0, 2, A, N));
        assertThat(vm.vas()).containsExactly(va(0, 2, A, N));
    }

    @Test
    void smMap_GV04_oldIsLeftAlignedSubsetOtherObject_sameResultWithoutKeep() {
        GpuVa<String> old = mapped(0, 1, A, N);

        List<VaOp<String>> ops = smMapAndApply(0, 2, B, N);

        assertThat(ops).containsExactly(unmap(old, false), map(0, 2, B, N));
        assertThat(vm.vas()).containsExactly(va(0, 2, B, N));
    }

    // ---- GV-05..GV-08: the request is aligned with one end of the old mapping ------------------

    @Test
    void smMap_GV05_requestInsideLeftAligned_splitsWithAdvancedOffset() {
        GpuVa<String> old = mapped(0, 2, A, N);

        List<VaOp<String>> ops = smMapAndApply(0, 1, B, N);

        assertThat(ops).containsExactly(
                remap(null, map(1, 1, A, N + 1), unmap(old, false)),
                map(0, 1, B, N));
        assertThat(vm.vas()).containsExactly(va(0, 1, B, N), va(1, 1, A, N + 1));
    }

    @Test
    void smMap_GV06_requestInsideLeftAlignedSameObject_splitsWithKeep() {
        GpuVa<String> old = mapped(0, 2, A, N);

        List<VaOp<String>> ops = smMapAndApply(0, 1, A, N);

        assertThat(ops).containsExactly(
                remap(null, map(1, 1, A, N + 1), unmap(old, true)),
                map(0, 1, A, N));
        assertThat(vm.vas()).containsExactly(va(0, 1, A, N), va(1, 1, A, N + 1));
    }

    @Test
    void smMap_GV07_requestInsideRightAligned_splitsKeepingLeftOffset() {
        GpuVa<String> old = mapped(0, 2, A, N);

        List<VaOp<String>> ops = smMapAndApply(1, 1, B, M);

        assertThat(ops).containsExactly(
                remap(map(0, 1, A, N), null, unmap(old, false)),
                map(1, 1, B, M));
        assertThat(vm.vas()).containsExactly(va(0, 1, A, N), va(1, 1, B, M));
    }

    @Test
    void smMap_GV08_requestInsideRightAlignedContiguous_splitsWithKeep() {
        GpuVa<String> old = mapped(0, 2, A, N);

        List<VaOp<String>> ops = smMapAndApply(1, 1, A, N + 1);

        assertThat(ops).containsExactly(
                remap(map(0, 1, A, N), null, unmap(old, true)),
                map(1, 1, A, N + 1));
        assertThat(vm.vas()).containsExactly(va(0, 1, A, N), va(1, 1, A, N + 1));
    }

    // ---- GV-09, GV-10: the request overlaps the end of the old mapping -------------------------

    @Test
    void smMap_GV09_requestOverlapsEnd_cutsOldMappingShort() {
        GpuVa<String> old = mapped(0, 2, A, N);

        List<VaOp<String>> ops = smMapAndApply(1, 2, B, M);

        assertThat(ops).containsExactly(
                remap(map(0, 1, A, N), null, unmap(old, false)),
                map(1, 2, B, M));
        assertThat(vm.vas()).containsExactly(va(0, 1, A, N), va(1, 2, B, M));
    }

    @Test
    void smMap_GV10_overlapsEndSameObjectContiguous_keepsButNeverMerges() {
        GpuVa<String> old = mapped(0, 2, A, N);

        List<VaOp<String>> ops = smMapAndApply(1, 2, A, N + 1);

        assertThat(ops).containsExactly(
                remap(map(0, 1, A, N), null, unmap(old, true)),
                map(1, 2, A, N + 1));
        assertThat(vm.vas()).containsExactly(va(0, 1, A, N), va(1, 2, A, N + 1));
    }

    @Test
    void smMap_GV10_adjacentSameObjectContiguous_staysTwoMappings() {
        mapped(0, 1, A, N);

        List<VaOp<String>> ops = smMapAndApply(1, 1, A, N + 1);

        assertThat(ops).containsExactly(map(1, 1, A, N + 1));
        assertThat(vm.vas()).containsExactly(va(0, 1, A, N), va(1, 1, A, N + 1));
        assertThat(vm.find(0, 2)).isNull();
    }

    // ---- GV-11, GV-12: the request is centred in the old mapping -------------------------------

    @Test
    void smMap_GV11_requestCentred_oneRemapWithBothPieces() {
        GpuVa<String> old = mapped(0, 3, A, N);

        List<VaOp<String>> ops = smMapAndApply(1, 1, B, M);

        assertThat(ops).containsExactly(
                remap(map(0, 1, A, N), map(2, 1, A, N + 2), unmap(old, false)),
                map(1, 1, B, M));
        assertThat(vm.vas()).containsExactly(va(0, 1, A, N), va(1, 1, B, M), va(2, 1, A, N + 2));
    }

    @Test
    void smMap_GV12_requestCentredContiguous_threePiecesWithKeep() {
        GpuVa<String> old = mapped(0, 3, A, N);

        List<VaOp<String>> ops = smMapAndApply(1, 1, A, N + 1);

        assertThat(ops).containsExactly(
                remap(map(0, 1, A, N), map(2, 1, A, N + 2), unmap(old, true)),
                map(1, 1, A, N + 1));
        assertThat(vm.vas()).containsExactly(va(0, 1, A, N), va(1, 1, A, N + 1), va(2, 1, A, N + 2));
    }

    // ---- GV-13, GV-14: the old mapping lies inside the request ---------------------------------

    @Test
    void smMap_GV13_oldIsRightAlignedSubset_replacedByOneMappingWithKeep() {
        GpuVa<String> old = mapped(1, 1, A, N + 1);

        List<VaOp<String>> ops = smMapAndApply(0, 2, A, N);

        assertThat(ops).containsExactly(unmap(old, true), map(0, 2, A, N));
        assertThat(vm.vas()).containsExactly(va(0, 2, A, N));
    }

    @Test
    void smMap_GV13_oldIsRightAlignedSubsetNonContiguous_sameResultWithoutKeep() {
        GpuVa<String> old = mapped(1, 1, A, N);

        List<VaOp<String>> ops = smMapAndApply(0, 2, A, N);

        assertThat(ops).containsExactly(unmap(old, false), map(0, 2, A, N));
        assertThat(vm.vas()).containsExactly(va(0, 2, A, N));
    }

    @Test
    void smMap_GV14_oldCentredInRequest_replacedByOneMappingWithKeep() {
        GpuVa<String> old = mapped(1, 1, A, N + 1);

        List<VaOp<String>> ops = smMapAndApply(0, 3, A, N);

        assertThat(ops).containsExactly(unmap(old, true), map(0, 3, A, N));
        assertThat(vm.vas()).containsExactly(va(0, 3, A, N));
    }

    // ---- GV-15: the request overlaps the start of the old mapping ------------------------------

    /** The DOC diagram labels the remaining piece n+2; the kernel's code computes n+1 (§11). */
    @Test
    void smMap_GV15_requestOverlapsStart_advancesOffsetByCutNotDiagramsNPlus2() {
        GpuVa<String> old = mapped(1, 2, A, N);

        List<VaOp<String>> ops = smMapAndApply(0, 2, B, M);

        assertThat(ops).containsExactly(
                remap(null, map(2, 1, A, N + 1), unmap(old, false)),
                map(0, 2, B, M));
        assertThat(vm.vas()).containsExactly(va(0, 2, B, M), va(2, 1, A, N + 1));
    }

    // ---- GV-16: sm_unmap -----------------------------------------------------------------------

    @Test
    void smUnmap_GV16_mappingInside_unmapsWithoutKeep() {
        GpuVa<String> old = mapped(2, 2, A, N);

        List<VaOp<String>> ops = smUnmapAndApply(1, 4);

        assertThat(ops).containsExactly(unmap(old, false));
        assertThat(vm.vas()).isEmpty();
    }

    @Test
    void smUnmap_GV16_exactRangeOfMapping_unmapsWithoutKeep() {
        GpuVa<String> old = mapped(2, 2, A, N);

        List<VaOp<String>> ops = smUnmapAndApply(2, 2);

        assertThat(ops).containsExactly(unmap(old, false));
        assertThat(vm.vas()).isEmpty();
    }

    @Test
    void smUnmap_GV16_centredInMapping_remapKeepsBothOutsidePieces() {
        GpuVa<String> old = mapped(0, 4, A, N);

        List<VaOp<String>> ops = smUnmapAndApply(1, 2);

        assertThat(ops).containsExactly(remap(map(0, 1, A, N), map(3, 1, A, N + 3), unmap(old, false)));
        assertThat(vm.vas()).containsExactly(va(0, 1, A, N), va(3, 1, A, N + 3));
    }

    @Test
    void smUnmap_GV16_acrossSeveralMappings_remapsEndsAndUnmapsMiddle() {
        GpuVa<String> first = mapped(0, 2, A, N);
        GpuVa<String> middle = mapped(2, 2, B, M);
        GpuVa<String> last = mapped(5, 2, A, N + 10);

        List<VaOp<String>> ops = smUnmapAndApply(1, 5);

        assertThat(ops).containsExactly(
                remap(map(0, 1, A, N), null, unmap(first, false)),
                unmap(middle, false),
                remap(null, map(6, 1, A, N + 11), unmap(last, false)));
        assertThat(vm.vas()).containsExactly(va(0, 1, A, N), va(6, 1, A, N + 11));
    }

    @Test
    void smUnmap_GV16_nothingMapped_noSteps() {
        mapped(0, 2, A, N);

        List<VaOp<String>> ops = smUnmapAndApply(2, 4);

        assertThat(ops).isEmpty();
        assertThat(vm.vas()).containsExactly(va(0, 2, A, N));
    }

    // ---- requests over several mappings and holes ----------------------------------------------

    @Test
    void smMap_emptyRange_onlyTheMap() {
        List<VaOp<String>> ops = smMapAndApply(3, 2, A, N);

        assertThat(ops).containsExactly(map(3, 2, A, N));
        assertThat(vm.vas()).containsExactly(va(3, 2, A, N));
    }

    @Test
    void smMap_spanningHoleAndMappings_remapsEndsUnmapsInsideMapsOnce() {
        GpuVa<String> first = mapped(0, 2, A, N);
        GpuVa<String> inside = mapped(4, 2, B, M);
        GpuVa<String> last = mapped(6, 2, A, N + 20);

        List<VaOp<String>> ops = smMapAndApply(1, 6, B, M - 3);

        assertThat(ops).containsExactly(
                remap(map(0, 1, A, N), null, unmap(first, false)),
                unmap(inside, true),
                remap(null, map(7, 1, A, N + 21), unmap(last, false)),
                map(1, 6, B, M - 3));
        assertThat(vm.vas()).containsExactly(va(0, 1, A, N), va(1, 6, B, M - 3), va(7, 1, A, N + 21));
    }

    @Test
    void smMap_sameObjectContiguousSparseMapping_neverKeeps() {
        GpuVa<String> old = mapped(0, 2, null, 0);

        List<VaOp<String>> ops = smMapAndApply(0, 2, null, 0);

        assertThat(ops).containsExactly(unmap(old, false), map(0, 2, null, 0));
        assertThat(vm.vas()).containsExactly(va(0, 2, null, 0));
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Maps into the VM through sm_map and apply, and returns the mapping. */
    private GpuVa<String> mapped(long addr, long range, String obj, long offset) {
        smMapAndApply(addr, range, obj, offset);
        return vm.find(addr, range);
    }

    private List<VaOp<String>> smMapAndApply(long addr, long range, String obj, long offset) {
        VaOps<String> ops = vm.smMap(addr, range, obj, offset);
        assertThat(ops.ret()).isZero();
        vm.apply(ops);
        return ops.ops();
    }

    private List<VaOp<String>> smUnmapAndApply(long addr, long range) {
        VaOps<String> ops = vm.smUnmap(addr, range);
        assertThat(ops.ret()).isZero();
        vm.apply(ops);
        return ops.ops();
    }

    static GpuVa<String> va(long addr, long range, String obj, long offset) {
        return new GpuVa<>(addr, range, obj, offset);
    }

    static VaOp.Map<String> map(long addr, long range, String obj, long offset) {
        return new VaOp.Map<>(addr, range, obj, offset);
    }

    static VaOp.Unmap<String> unmap(GpuVa<String> va, boolean keep) {
        return new VaOp.Unmap<>(va, keep);
    }

    static VaOp.Remap<String> remap(VaOp.Map<String> prev, VaOp.Map<String> next, VaOp.Unmap<String> unmap) {
        return new VaOp.Remap<>(prev, next, unmap);
    }
}
