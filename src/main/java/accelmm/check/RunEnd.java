package accelmm.check;

import accelmm.mm.Kernel;
import accelmm.sim.Outcome;
import accelmm.sim.Simulation;
import java.util.List;

/**
 * How an execution ended, as the end-of-run invariants see it.
 *
 * @param liveObjects descriptions of device-level objects still alive (GEM objects, VMs, ...)
 */
public record RunEnd(Simulation sim, Kernel kernel, Outcome outcome, List<String> liveObjects) {
}
