package accelmm.layerfixture.drm;

import accelmm.layerfixture.accel.AccelQueue;

/** A driver of the fixture that uses another one, which {@code ArchitectureTest} must refuse. */
final class UsesAccel {

    AccelQueue queue() {
        return new AccelQueue();
    }
}
