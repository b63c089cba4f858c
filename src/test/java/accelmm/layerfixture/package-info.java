/**
 * A fixture of {@code ArchitectureTest}: two device-driver packages, {@code drm} and {@code
 * accel}, one using the other, for the rule that device drivers never depend on each other to
 * refuse.
 */
package accelmm.layerfixture;
