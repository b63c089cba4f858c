package accelmm.scenario;

import accelmm.sim.Schedule;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The schedule of one execution as {@code check}, {@code run} and {@code replay --schedule}
 * write it: {@code FINGERPRINT:SCHEDULE}, e.g. {@code 3fa9c1:0*18.1*5.2} — the fingerprint of
 * the scenario text and design combination it ran under ({@link ScenarioModel#fingerprint}),
 * then the {@link Schedule} token. A token replayed on another text or combination is refused,
 * even when its decisions would happen to fit. A bare schedule (written by hand, or printed
 * before tokens carried fingerprints) is accepted and replayed unchecked.
 *
 * @param fingerprint empty for a bare schedule
 */
public record ReplayToken(Optional<String> fingerprint, Schedule schedule) {

    private static final Pattern FINGERPRINT = Pattern.compile("[0-9a-f]{" + Fingerprint.TOKEN_DIGITS + "}");

    /** The token of {@code schedule} run on {@code scenario} under {@code combination}. */
    public static String of(Scenario scenario, Map<DesignKey, String> combination, Schedule schedule) {
        return ScenarioModel.fingerprint(scenario, combination) + ":" + schedule.token();
    }

    /** The token of {@code schedule} run on {@code model}. */
    public static String of(ScenarioModel model, Schedule schedule) {
        return model.fingerprint() + ":" + schedule.token();
    }

    /**
     * Parses a token, with or without its fingerprint.
     *
     * @throws IllegalArgumentException with a one-line reason when it is malformed
     */
    public static ReplayToken parse(String text) {
        String t = text.strip();
        int colon = t.indexOf(':');
        if (colon < 0) {
            return new ReplayToken(Optional.empty(), Schedule.parse(t));
        }
        String fingerprint = t.substring(0, colon);
        if (!FINGERPRINT.matcher(fingerprint).matches()) {
            throw new IllegalArgumentException("bad fingerprint '" + fingerprint + "' (a token is FINGERPRINT:SCHEDULE,"
                    + " the fingerprint " + Fingerprint.TOKEN_DIGITS + " hex digits)");
        }
        return new ReplayToken(Optional.of(fingerprint), Schedule.parse(t.substring(colon + 1)));
    }

    /**
     * The schedule, when the token was made for {@code model}'s scenario text and combination
     * (or carries no fingerprint).
     *
     * @throws IllegalArgumentException when it was made for another text or combination
     */
    public Schedule scheduleFor(ScenarioModel model) {
        if (fingerprint.isPresent() && !fingerprint.get().equals(model.fingerprint())) {
            throw new IllegalArgumentException("the schedule was recorded on another scenario text or design"
                    + " combination (its fingerprint is " + fingerprint.get() + ", this scenario under "
                    + ScenarioChecker.describe(model.combination()) + " is " + model.fingerprint() + ")");
        }
        return schedule;
    }
}
