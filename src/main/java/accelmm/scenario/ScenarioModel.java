package accelmm.scenario;

import accelmm.check.Model;
import accelmm.check.RunResult;
import accelmm.sim.ChoiceSource;
import accelmm.sim.Deadline;
import accelmm.sim.Designs;
import accelmm.sim.Simulation;
import accelmm.sim.StateWalk;
import java.util.List;
import java.util.Map;

/** A scenario under one design combination, as the explorer executes it. */
public final class ScenarioModel implements Model {

    private final Scenario scenario;
    private final Map<DesignKey, String> combination;
    /** Preemption points an execution may pass before it ends as a step limit. */
    private final long maxSteps;
    /** Whether executions observe footprints ({@link Simulation#observeFootprints}). */
    private final boolean observeFootprints;
    /** Whether traced runs show the state after each operation ({@link #withStates}). */
    private boolean showStates;
    /**
     * What every execution derives from the scenario and combination alone, worked out at the
     * first execution and shared by the rest (immutable; a race computes equal values).
     */
    private volatile Prepared prepared;
    /**
     * Fingerprints states for a caching search by walking the world ({@link StateWalk}); shared
     * by every execution, so that the scenario's syntax tree is numbered once.
     */
    private final StateWalk walk;

    /** With the default step limit, {@link Simulation#DEFAULT_MAX_STEPS}. */
    public ScenarioModel(Scenario scenario, Map<DesignKey, String> combination) {
        this(scenario, combination, Simulation.DEFAULT_MAX_STEPS);
    }

    public ScenarioModel(Scenario scenario, Map<DesignKey, String> combination, long maxSteps) {
        this(scenario, combination, maxSteps, true, true);
    }

    private ScenarioModel(Scenario scenario, Map<DesignKey, String> combination, long maxSteps,
            boolean observeFootprints, boolean namesPieces) {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("at least one step per execution");
        }
        this.scenario = scenario;
        this.combination = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(combination));
        this.maxSteps = maxSteps;
        this.observeFootprints = observeFootprints;
        this.walk = new StateWalk(ScenarioModel::constant, namesPieces);
    }

    /**
     * This model with its executions observing footprints ({@code on}, the default) or not:
     * what each step touched, reported by the model's shared state, instead of what preemption
     * points declare ({@link Simulation#observeFootprints}). Runs, traces and verdicts are the
     * same either way; only what an explorer that wants footprints is told differs (off, it is
     * told almost nothing commutes: the comparison {@code FootprintSoundnessTest} makes).
     */
    public ScenarioModel withObservedFootprints(boolean on) {
        return on == observeFootprints ? this : new ScenarioModel(scenario, combination, maxSteps, on, true);
    }

    /**
     * This model with each traced operation followed by the state a reader needs ({@link
     * World#stateView}): for {@code replay --show}; exploring with it would only be slower.
     */
    public ScenarioModel withStates() {
        ScenarioModel m = new ScenarioModel(scenario, combination, maxSteps, observeFootprints, true);
        m.showStates = true;
        return m;
    }

    /**
     * This model with fingerprints that do not tell pieces of shared state apart by their
     * creation order ({@link StateWalk#StateWalk(java.util.function.Predicate, boolean)}): equal
     * for runs that only created independent objects in another order. For comparing the end
     * states two searches reach; a state cache must not use it.
     */
    ScenarioModel withEndStateFingerprints() {
        return new ScenarioModel(scenario, combination, maxSteps, observeFootprints, false);
    }

    /** Whether executions observe footprints ({@link #withObservedFootprints}). */
    public boolean observesFootprints() {
        return observeFootprints;
    }

    public Scenario scenario() {
        return scenario;
    }

    public Map<DesignKey, String> combination() {
        return combination;
    }

    /**
     * A short digest of the scenario's text and this combination: what a {@link ReplayToken}
     * carries, so that its schedule is not replayed on another text or design.
     */
    public String fingerprint() {
        return fingerprint(scenario, combination);
    }

    /** {@link #fingerprint()} of {@code scenario} under {@code combination}. */
    static String fingerprint(Scenario scenario, Map<DesignKey, String> combination) {
        return Fingerprint.of(scenario.fingerprint() + "\n" + DesignMatrix.canonical(combination),
                Fingerprint.TOKEN_DIGITS);
    }

    @Override
    public RunResult execute(ChoiceSource choices, boolean recordTrace) {
        return execute(choices, recordTrace, Deadline.NONE);
    }

    @Override
    public RunResult execute(ChoiceSource choices, boolean recordTrace, Deadline deadline) {
        Prepared p = prepared;
        if (p == null) {
            p = Prepared.of(scenario, DesignMatrix.toDesigns(combination));
            prepared = p;
        }
        Simulation sim = new Simulation(choices, recordTrace, maxSteps, deadline);
        sim.observeFootprints(observeFootprints);
        World world = new World(scenario, p, sim);
        if (showStates) {
            sim.showStates(world::stateView);
        }
        if (sim.stateHash() != null) {
            // Every actor of a world parks at a declared position between statements and in
            // its idle waits; the walk refuses the decisions where one is elsewhere.
            sim.stateHash().covers(true);
            sim.fingerprintByWalking(walk, world);
        }
        return world.run();
    }

    /**
     * A state fingerprint takes the states of a world by walking it (see {@link StateWalk}), at
     * decisions where every thread is between statements or waits to start and every daemon is
     * idle: the futures of other decisions lie in Java locals no walk sees.
     */
    @Override
    public boolean fingerprintsStates() {
        return true;
    }

    /** The classes a run never changes: the parsed scenario and the design combination. */
    private static boolean constant(Class<?> type) {
        return type == Scenario.class || type == ThreadBlock.class || type == ProcessDecl.class
                || type == Position.class || type == DesignLine.class || type == Device.class
                || type == Prepared.class || type == Designs.class
                || Statement.class.isAssignableFrom(type) || Term.class.isAssignableFrom(type)
                || Value.class.isAssignableFrom(type);
    }

    /**
     * The combination as {@link Designs}, the preemption-point label of every statement ({@code
     * A.main line 12}), one array per thread block in {@link Scenario#threads()} order, and
     * whether the scenario has a debugger statement ({@link DebugStatements}).
     */
    record Prepared(Designs designs, List<String[]> statementLabels, boolean usesDebugger) {

        static Prepared of(Scenario scenario, Designs designs) {
            return new Prepared(designs, labels(scenario), DebugStatements.usesDebugger(scenario));
        }

        private static List<String[]> labels(Scenario scenario) {
            return scenario.threads().stream().map(t -> {
                String name = t.qualifiedName();
                return t.body().stream().map(st -> name + " line " + st.position().line()).toArray(String[]::new);
            }).toList();
        }
    }
}
