package accelmm.check;

import accelmm.sim.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code deadlock}: every live actor is blocked (a lock cycle, a fence that can never signal, a
 * name never bound). A run that goes on without finishing (a livelock) is not one: it reaches the
 * step limit, which is {@link Inconclusive}.
 */
public final class Deadlock implements EndInvariant {

    @Override
    public InvariantKind kind() {
        return InvariantKind.DEADLOCK;
    }

    @Override
    public Violation judge(RunEnd end) {
        return switch (end.outcome()) {
            case Outcome.Deadlock d -> {
                List<String> parts = new ArrayList<>();
                for (Outcome.BlockedActor b : d.blocked()) {
                    parts.add(b.actor() + " waits for " + b.waitsFor());
                }
                yield new Violation(kind(), end.sim().steps(), "", String.join("; ", parts));
            }
            default -> null;
        };
    }
}
