/**
 * The scenario language: lexer, parser and the syntax tree a scenario file becomes.
 *
 * <p>A scenario ({@code .scn}) names a title, the designs to run, devices, processes, threads
 * of statements in a small strace-like language, and the expected verdict per design
 * combination. {@link accelmm.scenario.Parser#parse} (or {@link
 * accelmm.scenario.ScenarioLoader#load} for a file) turns one into a {@link
 * accelmm.scenario.Scenario}, or reports the first problem as a {@link
 * accelmm.scenario.ScenarioError} at {@code FILE:LINE:COL}. The statements of the language are
 * listed once, with their syntax, in {@link accelmm.scenario.Operation}; the design keys in
 * {@link accelmm.scenario.DesignKey}; the invariants in {@link accelmm.check.InvariantKind}.
 * The language reference is docs/LANGUAGE.md; the contract it implements is
 * SCENARIO-LANGUAGE.md.
 *
 * <p>The parser checks what can be known without running: syntax, argument types, names bound
 * once per process, declared processes and devices, design keys and values, invariant and
 * errno names, kernel activity only in kernel threads. It does not check whether the model
 * implements an operation, nor whether a name used is ever bound (a thread waiting for a name
 * that never comes is a deadlock of the scenario, found by running it).
 *
 * <p>Top layer (with {@code accelmm.cli} and {@code accelmm.report}): may use every layer below;
 * nothing below may use it.
 */
package accelmm.scenario;
