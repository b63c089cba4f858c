package accelmm.cli;

import accelmm.report.SwimLane;
import picocli.CommandLine.Option;

/**
 * {@code --width N}: the columns the text output is laid out in (a counterexample's swim lanes
 * share them). By default the terminal's, which the launcher passes in {@value #COLUMNS_VARIABLE}
 * when standard output is one, else {@value SwimLane#DEFAULT_WIDTH}.
 */
final class WidthOption {

    /** Set by {@code bin/accelmm} to the terminal's columns when its standard output is a terminal. */
    static final String COLUMNS_VARIABLE = "ACCELMM_COLUMNS";
    static final int MIN = 40;
    static final int MAX = 1000;

    @Option(names = "--width", paramLabel = "N", description = "lay text out in N columns, from " + MIN + " to " + MAX
            + " (default: the terminal's; " + SwimLane.DEFAULT_WIDTH + " when the output is not a terminal)")
    Integer width;

    /** The columns to fit: {@code --width}, else the terminal's, else {@value SwimLane#DEFAULT_WIDTH}. */
    int columns() {
        if (width != null) {
            if (width < MIN || width > MAX) {
                throw new CliError("--width must be between " + MIN + " and " + MAX + ", got " + width);
            }
            return width;
        }
        return columns(System.getenv(COLUMNS_VARIABLE));
    }

    /** The terminal's columns from the launcher's variable, clamped; the default when unset or not a number. */
    static int columns(String variable) {
        if (variable == null || !variable.matches("\\d{1,5}") || Integer.parseInt(variable) == 0) {
            // Unset, not a number, or a terminal that does not know its size.
            return SwimLane.DEFAULT_WIDTH;
        }
        return Math.max(MIN, Math.min(MAX, Integer.parseInt(variable)));
    }
}
