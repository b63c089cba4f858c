package accelmm.layerfixture.accel;

/** A class of a device driver in the fixture of {@code ArchitectureTest}. */
public final class AccelQueue {
}
