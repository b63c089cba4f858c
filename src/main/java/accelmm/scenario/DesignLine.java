package accelmm.scenario;

import java.util.List;

/**
 * {@code design KEY=V1,V2} or {@code design KEY=*}: the values of one key the scenario runs
 * with. Several lines form a matrix; keys without a line run their default.
 *
 * @param values     the values to run, in the order written ({@code *}: every value, default first)
 * @param everyValue the line said {@code *}
 */
public record DesignLine(Position position, DesignKey key, List<String> values, boolean everyValue) {

    public DesignLine {
        values = List.copyOf(values);
    }
}
