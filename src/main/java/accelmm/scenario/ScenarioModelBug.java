package accelmm.scenario;

import accelmm.check.ModelBugException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link ModelBugException} met while running a scenario under one design combination, with
 * what reproduces it: the scenario's file, the combination and, when the failure was of one
 * execution, its {@link ReplayToken}. The command line prints them as a replay command.
 */
public final class ScenarioModelBug extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String fileName;
    private final transient Map<DesignKey, String> combination;
    private final String token;

    private ScenarioModelBug(ScenarioModel model, ModelBugException cause) {
        super(cause.getMessage(), cause);
        this.fileName = model.scenario().fileName();
        this.combination = model.combination();
        this.token = cause.schedule().map(s -> ReplayToken.of(model, s)).orElse(null);
    }

    /** {@code work} on {@code model}; a model bug it meets is rethrown with what reproduces it. */
    public static <T> T during(ScenarioModel model, Supplier<T> work) {
        try {
            return work.get();
        } catch (ModelBugException e) {
            throw new ScenarioModelBug(model, e);
        }
    }

    /** The scenario's file as it was named when loaded ({@code catalog/NAME.scn} for a built-in one). */
    public String fileName() {
        return fileName;
    }

    public Map<DesignKey, String> combination() {
        return combination;
    }

    /** The token that replays the failing execution, when the failure was of one execution. */
    public Optional<String> token() {
        return Optional.ofNullable(token);
    }
}
