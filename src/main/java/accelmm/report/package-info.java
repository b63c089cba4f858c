/**
 * Reports for people and tools: counterexamples as numbered steps and as swim lanes (one
 * column per actor, {@link accelmm.report.SwimLane}), verdict tables, text and
 * JSON renderings of the same results. Output is deterministic: no timestamps, no hash
 * orders; elapsed times and rates appear only with {@code --stats}, in text and JSON alike.
 */
package accelmm.report;
