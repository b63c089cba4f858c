package accelmm.cli;

import accelmm.check.RunResult;
import accelmm.sim.Outcome;
import java.io.PrintWriter;

/** Lines shared by the commands that print one execution. */
final class Output {

    private Output() {
    }

    static void result(PrintWriter out, RunResult r) {
        if (r.violated()) {
            out.println("violation: " + r.violation());
        } else if (r.outcome() instanceof Outcome.Completed) {
            out.println("result: clean");
        } else {
            out.println("result: " + r.outcome());
        }
    }
}
