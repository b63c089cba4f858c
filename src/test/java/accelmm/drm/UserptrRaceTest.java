package accelmm.drm;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Errno;
import accelmm.sim.Outcome;
import accelmm.sim.RandomChoiceSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Searches random schedules of the SCENARIO-LANGUAGE example race (see {@link UserptrRace}) under
 * each userptr design: hmm and pin never let the GPU touch a freed page; hmm-no-retry does in
 * some schedule. Every run completes, breaks no lock order, and leaves nothing behind once the
 * process has exited.
 */
class UserptrRaceTest {

    private static final int SEEDS = 2_000;

    @ParameterizedTest
    @EnumSource(UserptrDesign.class)
    void exampleRace_randomSchedules_staleAccessOnlyWithoutRetry(UserptrDesign design) {
        List<Long> staleSeeds = new ArrayList<>();
        int bindFaults = 0;
        int jobFaults = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            UserptrRace.Result r = UserptrRace.run(design, new RandomChoiceSource(seed), false);
            DrmFixture.assertCompleted(r.outcome());
            assertThat(r.leftovers()).as("leftovers after exit, seed %d", seed).isFalse();
            assertThat(r.lockdepViolations()).as("lock order cycles, seed %d", seed).isZero();
            if (r.stale()) {
                staleSeeds.add(seed);
            } else if (r.fenceStatus() == 1) {
                assertThat(r.dstHead()).as("a clean copy carries the data, seed %d", seed).isEqualTo("hello");
            }
            bindFaults += r.bindRet() == Errno.EFAULT.neg() ? 1 : 0;
            jobFaults += r.fenceStatus() == Errno.EFAULT.neg() ? 1 : 0;
        }
        System.out.printf("userptr=%s: %d/%d seeds stale, %d bind EFAULT, %d job EFAULT%n", design.value(),
                staleSeeds.size(), SEEDS, bindFaults, jobFaults);

        if (design == UserptrDesign.HMM_NO_RETRY) {
            assertThat(staleSeeds).as("seeds with a stale device access").isNotEmpty();
        } else {
            assertThat(staleSeeds).as("seeds with a stale device access").isEmpty();
        }
        assertThat(bindFaults).as("some schedule unmaps before the bind").isPositive();
    }
}
