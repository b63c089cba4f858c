package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link StateWalk}, apart from the searches that use it: the fingerprint of an object graph
 * depends on its shape and values, not on the objects' identities; it tells sharing from equal
 * copies, a reference from a value and one field from another; it refuses what it cannot take
 * apart; and, in a run, it counts each actor's declared position and is not taken while an
 * actor is anywhere else.
 */
class StateWalkTest {

    /** A mutable node of a model's state, as a kernel object would be. */
    static final class Node {
        long value;
        Object next;
        Object other;

        Node(long value) {
            this.value = value;
        }
    }

    private static final StateWalk WALK = new StateWalk(type -> false);

    private static long[] of(Object root) {
        return WALK.fingerprint(root, List.of(), new LockDep(), 0);
    }

    @Test
    void fingerprint_equalGraphsOfOtherObjects_equal() {
        Node a = new Node(1);
        a.next = new Node(2);
        ((Node) a.next).next = a;
        Node b = new Node(1);
        b.next = new Node(2);
        ((Node) b.next).next = b;

        assertThat(of(a)).isEqualTo(of(b));
    }

    @Test
    void fingerprint_oneFieldChanged_differs() {
        Node a = new Node(1);
        a.next = new Node(2);
        Node b = new Node(1);
        b.next = new Node(3);

        assertThat(of(a)).isNotEqualTo(of(b));
    }

    @Test
    void fingerprint_sharedTargetAgainstTwoEqualCopies_differs() {
        Node shared = new Node(7);
        Node a = new Node(1);
        a.next = shared;
        a.other = shared;
        Node b = new Node(1);
        b.next = new Node(7);
        b.other = new Node(7);

        assertThat(of(a)).isNotEqualTo(of(b));
    }

    @Test
    void fingerprint_valuesSwappedBetweenFields_differs() {
        Node a = new Node(0);
        a.next = 5L;
        a.other = 6L;
        Node b = new Node(0);
        b.next = 6L;
        b.other = 5L;

        assertThat(of(a)).isNotEqualTo(of(b));
    }

    @Test
    void fingerprint_listOrderCounts_sortedCollectionsDoNot() {
        assertThat(of(new ArrayList<>(List.of("x", "y")))).isNotEqualTo(of(new ArrayList<>(List.of("y", "x"))));
        TreeSet<String> one = new TreeSet<>(List.of("x", "y"));
        TreeSet<String> two = new TreeSet<>(List.of("y", "x"));
        assertThat(of(one)).isEqualTo(of(two));
        Map<String, Long> first = new TreeMap<>(Map.of("a", 1L, "b", 2L));
        Map<String, Long> second = new LinkedHashMap<>();
        second.put("b", 2L);
        second.put("a", 1L);
        assertThat(of(first)).isNotEqualTo(of(second));
    }

    @Test
    void fingerprint_objectOfAClassOutsideTheProject_none() {
        Node a = new Node(1);
        a.next = new StringBuilder("state the walk cannot take apart");

        assertThat(of(a)).isNull();
    }

    @Test
    void fingerprint_pieceSerialsCountUnlessNotNamed() {
        Simulation sim = new Simulation(new RandomChoiceSource(1));
        Node a = new Node(1);
        a.next = sim.shared("piece");
        Node b = new Node(1);
        b.next = sim.shared("piece");

        assertThat(of(a)).isNotEqualTo(of(b));
        StateWalk unnamed = new StateWalk(type -> false, false);
        assertThat(unnamed.fingerprint(a, List.of(), new LockDep(), 0))
                .isEqualTo(unnamed.fingerprint(b, List.of(), new LockDep(), 0));
    }

    /**
     * Two actors step through positions 0, 1, 2 ({@link Simulation#preemptionPointAt}) over one
     * unchanged state, which holds nothing of where they are: decisions with the same pair of
     * positions have one fingerprint, whatever the schedule that led there, and different pairs
     * different ones; a decision where an actor is at an undeclared preemption point has none.
     * The choice source follows the positions by the labels of the points the actors reach.
     */
    @Test
    void fingerprint_inARun_isThePositionsOfTheActorsAndNoneAtAnUndeclaredPoint() {
        Map<String, long[]> byPositions = new TreeMap<>();
        List<String> undeclared = new ArrayList<>();
        for (long seed = 0; seed < 30; seed++) {
            String[] at = {"-", "-"};
            RandomChoiceSource random = new RandomChoiceSource(seed);
            long run = seed;
            ChoiceSource recording = new ChoiceSource() {
                @Override
                public int pickActor(SchedulingPoint point) {
                    if (point.running() != null) {
                        at[point.running().id()] = point.label();
                    }
                    if (at[0].equals("undeclared") || at[1].equals("undeclared")) {
                        if (point.fingerprinted()) {
                            undeclared.add("seed " + run);
                        }
                    } else if (!at[0].equals("-") && !at[1].equals("-")) {
                        assertThat(point.fingerprinted()).isTrue();
                        long[] print = {point.fingerprintHigh(), point.fingerprintLow()};
                        long[] seen = byPositions.putIfAbsent(at[0] + ", " + at[1], print);
                        if (seen != null) {
                            assertThat(print).as("at %s, %s", at[0], at[1]).isEqualTo(seen);
                        }
                    }
                    return random.pickActor(point);
                }

                @Override
                public int pickValue(String label, int bound) {
                    return random.pickValue(label, bound);
                }

                @Override
                public boolean wantsFingerprints() {
                    return true;
                }
            };
            Simulation sim = new Simulation(recording, false, 1_000);
            sim.stateHash().covers(true);
            sim.fingerprintByWalking(WALK, new Node(42));
            for (int actor = 0; actor < 2; actor++) {
                sim.spawn("t" + actor, () -> {
                    for (int i = 0; i < 3; i++) {
                        sim.preemptionPointAt("step " + i, i);
                    }
                    sim.preemptionPoint("undeclared");
                });
            }
            assertThat(sim.run()).isInstanceOf(Outcome.Completed.class);
        }
        assertThat(undeclared).isEmpty();
        // Both actors at each of steps 0..2: nine pairs, each with its own fingerprint.
        assertThat(byPositions).hasSize(9);
        assertThat(byPositions.values().stream().map(p -> p[0] + ":" + p[1]).distinct().count()).isEqualTo(9);
    }
}
