package accelmm.sim;

/**
 * A choice source for footprint tests: it wants footprints, so a simulation that observes them
 * records every {@link Shared} access, and every data choice takes its first value. Subclasses
 * say how actors are picked and what they keep of each decision.
 */
public abstract class ObservingChoices implements ChoiceSource {

    @Override
    public int pickValue(String label, int bound) {
        return 0;
    }

    @Override
    public boolean wantsFootprints() {
        return true;
    }
}
