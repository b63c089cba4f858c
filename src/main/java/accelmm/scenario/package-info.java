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
 * <p>The parser checks what one line shows: syntax, argument types (and that a literal ID fits
 * the kernel's field), names bound once per process, declared processes and devices, design
 * keys and values, invariant and errno names, kernel activity only in kernel threads; it stops
 * at the first problem. A scenario loaded for running ({@link
 * accelmm.scenario.ModelCoverage#load}) then passes the {@code LoadChecks}, which report every
 * problem at once: what the model does not implement (a device attribute too, and one the
 * device's kind does not have), names bound nowhere in the file and
 * fields of bindings that have none, and — where the verdicts are judged, not for one {@link
 * accelmm.scenario.ModelCoverage#loadToRun run} — {@code when} values that match nothing and
 * {@code expect} lines that contradict each other. Whether a name the file binds is bound in a given
 * run is the run's business: a thread waiting for a name that never comes is a deadlock of the
 * scenario, found by running it.
 *
 * <p>Top layer (with {@code accelmm.cli} and {@code accelmm.report}): may use every layer below;
 * nothing below may use it.
 */
package accelmm.scenario;
