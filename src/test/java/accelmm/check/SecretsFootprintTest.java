package accelmm.check;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.mm.Principal;
import accelmm.sim.Footprint;
import accelmm.sim.ObservingChoices;
import accelmm.sim.SchedulingPoint;
import accelmm.sim.Simulation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@link Secrets} reports when footprints are observed: the first write of a secret decides
 * its label and who may read it, so two first writes conflict; a check of a secret's bytes reads
 * that secret only, so it commutes with the registration of another.
 */
class SecretsFootprintTest {

    /** Runs the running actor while it can, else the first; keeps each actor's stretch ending at each label; wants footprints. */
    private static final class Recording extends ObservingChoices {
        final Map<String, Footprint> stretches = new LinkedHashMap<>();

        @Override
        public int pickActor(SchedulingPoint point) {
            for (int i = 0; i < point.eventCount(); i++) {
                stretches.putIfAbsent(point.eventActor(i) + " " + point.label(), point.eventFootprint(i));
            }
            return point.running() == null ? 0 : point.indexOf(point.running());
        }
    }

    private static Principal principal(String name) {
        return new Principal(name);
    }

    @Test
    void register_twoNewSecrets_conflict_andACheckOfAnOlderOneCommutesWithANewOne() {
        Recording choices = new Recording();
        Simulation sim = new Simulation(choices, false, 1_000);
        sim.observeFootprints(true);
        Secrets secrets = new Secrets(sim);
        int first = secrets.register("old", principal("A"), List.of());
        sim.spawn("A", () -> {
            sim.preemptionPoint("register");
            secrets.register("S", principal("A"), List.of());
            sim.preemptionPoint("registered");
        });
        sim.spawn("B", () -> {
            sim.preemptionPoint("register");
            secrets.register("T", principal("B"), List.of());
            sim.preemptionPoint("registered");
            secrets.byLabel(first).allows(principal("B"));
            sim.preemptionPoint("checked");
        });
        sim.spawn("idle", () -> {
            for (int i = 0; i < 40; i++) {
                sim.preemptionPoint("idle");
            }
        });
        sim.run();

        Footprint registerS = choices.stretches.get("0 registered");
        Footprint registerT = choices.stretches.get("1 registered");
        Footprint checkOld = choices.stretches.get("1 checked");

        assertThat(registerS.conflictsWith(registerT)).as("two first writes").isTrue();
        assertThat(checkOld.conflictsWith(registerS)).as("a check of another secret").isFalse();
    }
}
