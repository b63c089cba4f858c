/**
 * Reports for people and tools: counterexamples as numbered steps and as swim lanes (one
 * column per actor, {@link accelmm.report.SwimLane}), verdict tables, text and
 * JSON renderings of the same results. Output is deterministic: no timestamps, no hash
 * orders; elapsed times appear only in text meant for a terminal and are left out of JSON.
 */
package accelmm.report;
