package accelmm.scenario;

import accelmm.check.Model;
import accelmm.check.RunResult;
import accelmm.sim.ChoiceSource;
import java.util.Map;

/** A scenario under one design combination, as the explorer executes it. */
public final class ScenarioModel implements Model {

    private final Scenario scenario;
    private final Map<DesignKey, String> combination;

    public ScenarioModel(Scenario scenario, Map<DesignKey, String> combination) {
        this.scenario = scenario;
        this.combination = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(combination));
    }

    public Scenario scenario() {
        return scenario;
    }

    public Map<DesignKey, String> combination() {
        return combination;
    }

    @Override
    public RunResult execute(ChoiceSource choices, boolean recordTrace) {
        return new World(scenario, combination, choices, recordTrace).run();
    }
}
