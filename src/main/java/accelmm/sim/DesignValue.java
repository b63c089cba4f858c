package accelmm.sim;

/**
 * One value of a design key: a named alternative for one mechanism (ARCHITECTURE.md, "Designs").
 * Each key is an enum whose constants implement this interface, declared in the layer that
 * implements the mechanism; its first constant is the default (the correct design).
 */
public interface DesignValue {

    /** The key as written in a scenario, e.g. {@code fork}. */
    String key();

    /** The value as written in a scenario, e.g. {@code legacy}. */
    String value();
}
