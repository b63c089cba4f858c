package accelmm.scenario;

/** A problem a load-time check found in a parsed scenario: where it is, and what it is. */
record LoadProblem(Position at, String message) {
}
