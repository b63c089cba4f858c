package accelmm.scenario;

/**
 * A place in a scenario file: a 1-based line and a 1-based column. Columns count Unicode code
 * points, so a caret lines up under the character a terminal shows.
 */
public record Position(int line, int column) {

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
