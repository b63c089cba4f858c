package accelmm.drm;

/**
 * What a {@link GpuVa} of a {@link GpuVm} maps: the {@code gem.obj} of its {@code drm_gpuva}.
 * For a GEM object that is the object itself; a userptr VMA of xe has no GEM object (its
 * {@code gem.obj} is NULL and its pages come from {@code xe_userptr}), and the model names the
 * {@link Userptr} in that place instead, so that its pieces stay one range across splits and
 * the ranges of two userptrs never compare equal (no {@code keep}, no merge).
 *
 * <p>Equality is that of the object named (identity), as the kernel compares
 * {@code drm_gem_object} pointers.
 */
sealed interface GpuVaBacking {

    /** A GEM object; {@code gem.offset} is a byte offset into it. */
    record Bo(GemObject bo) implements GpuVaBacking {

        @Override
        public String toString() {
            return bo.toString();
        }
    }

    /** A userptr range; {@code gem.offset} is a byte offset from the start of its CPU range. */
    record UserptrRange(Userptr userptr) implements GpuVaBacking {

        @Override
        public String toString() {
            return userptr.toString();
        }
    }
}
