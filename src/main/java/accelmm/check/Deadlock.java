package accelmm.check;

import accelmm.sim.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
                List<Object> blocked = new ArrayList<>();
                for (Outcome.BlockedActor b : d.blocked()) {
                    parts.add(b.actor() + " waits for " + b.waitsFor());
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("actor", b.actor());
                    one.put("waitsFor", b.waitsFor());
                    blocked.add(one);
                }
                yield new Violation(kind(), end.sim().steps(), "", String.join("; ", parts), Map.of("blocked", blocked));
            }
            default -> null;
        };
    }
}
