/**
 * Reports for people and tools, all rendered from one {@link accelmm.report.CheckReport}: a
 * counterexample as numbered steps with one numbering for the headline, the list and the swim
 * lanes ({@link accelmm.report.Counterexample}, {@link accelmm.report.SwimLane}, fitted to a
 * width), verdict and cost tables; text, JSON, KTAP as kselftest prints it, JUnit XML, and one
 * self-contained HTML file with SVG sequence diagrams. Output is deterministic: no timestamps, no
 * hash orders; elapsed times and rates appear only with {@code --stats}.
 */
package accelmm.report;
