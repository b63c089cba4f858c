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

    /**
     * The scenario's fingerprint, file name, this combination, the step limit and whether
     * footprints are observed: what another JVM that has the scenario's text needs to build
     * this model again ({@link #fromPortable}).
     */
    @Override
    public byte[] portable() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeUTF(scenario.fingerprint());
            out.writeUTF(scenario.fileName());
            out.writeInt(combination.size());
            for (Map.Entry<DesignKey, String> e : combination.entrySet()) {
                out.writeUTF(e.getKey().word());
                out.writeUTF(e.getValue());
            }
            out.writeLong(maxSteps);
            out.writeBoolean(observeFootprints);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The model {@code portable} describes ({@link #portable}), its scenario found by its
     * fingerprint in {@code scenarios} (null for one it does not know).
     *
     * @throws IllegalArgumentException when the description is not one, or names a scenario,
     *     design key or value this accelmm does not know
     */
    public static ScenarioModel fromPortable(byte[] portable, java.util.function.Function<String, Scenario> scenarios) {
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(portable))) {
            String fingerprint = in.readUTF();
            String fileName = in.readUTF();
            Scenario scenario = scenarios.apply(fingerprint);
            if (scenario == null || !scenario.fingerprint().equals(fingerprint)) {
                throw new IllegalArgumentException("no text of " + fileName + " with fingerprint " + fingerprint);
            }
            int n = in.readInt();
            Map<DesignKey, String> combination = new java.util.LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String word = in.readUTF();
                DesignKey key = DesignKey.named(word)
                        .orElseThrow(() -> new IllegalArgumentException("unknown design key '" + word + "'"));
                String value = in.readUTF();
                if (!key.choices().contains(value)) {
                    throw new IllegalArgumentException("unknown value '" + value + "' of design key '" + word + "'");
                }
                combination.put(key, value);
            }
            long steps = in.readLong();
            boolean observe = in.readBoolean();
            return new ScenarioModel(scenario, combination, steps).withObservedFootprints(observe);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not the description of a scenario model: " + e.getMessage(), e);
        }
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
