package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Footprints observed through {@link Shared} (rather than declared by preemption points), the
 * per-actor events a decision reports, and pruning.
 */
class ObservedFootprintTest {

    /** One stretch since the previous decision: who ran it and what it touched. */
    record Event(int actor, Footprint footprint) {
    }

    /**
     * Follows {@code script} (indices into the candidates; past its end the running actor, else
     * the first), records every decision's events, and wants footprints.
     */
    private static final class Recording extends ObservingChoices {
        final List<List<Event>> decisions = new ArrayList<>();
        private final int[] script;
        private int next;

        Recording(int... script) {
            this.script = script;
        }

        @Override
        public int pickActor(SchedulingPoint point) {
            List<Event> events = new ArrayList<>();
            for (int i = 0; i < point.eventCount(); i++) {
                events.add(new Event(point.eventActor(i), point.eventFootprint(i)));
            }
            decisions.add(events);
            if (next < script.length) {
                return script[next++];
            }
            return point.running() == null ? 0 : point.indexOf(point.running());
        }
    }

    @Test
    void observed_undeclaredPoint_footprintIsWhatTheStepTouched() {
        Recording choices = new Recording();
        Simulation sim = new Simulation(choices);
        sim.observeFootprints(true);
        Shared cell = sim.shared("cell");
        sim.spawn("a", () -> {
            sim.preemptionPoint("undeclared");
            cell.read();
            sim.choose("a value", 2);
            cell.write(4, 8);
            sim.preemptionPoint("next");
        });
        sim.spawn("b", () -> { });

        sim.run();

        // start; a at "undeclared" (its first stretch read its own task state); a at "next".
        Footprint step = choices.decisions.get(2).get(0).footprint();
        assertThat(step.known()).isTrue();
        assertThat(step.accesses()).extracting(Access::toString).containsExactly("read cell#1", "write cell#1[4, 8)");
    }

    @Test
    void observed_consecutiveRanges_makeOneAccess() {
        Recording choices = new Recording();
        Simulation sim = new Simulation(choices);
        sim.observeFootprints(true);
        Shared frames = sim.shared("frames");
        sim.spawn("a", () -> {
            sim.preemptionPoint("copy");
            for (long pfn = 10; pfn < 20; pfn++) {
                frames.read(pfn, pfn + 1);
            }
            sim.preemptionPoint("done");
        });
        sim.spawn("b", () -> { });

        sim.run();

        assertThat(choices.decisions.get(2).get(0).footprint().accesses())
                .extracting(Access::toString).containsExactly("read frames#1[10, 20)");
    }

    @Test
    void events_blockWithOneOtherRunnable_splitIntoOneEventPerActor() {
        Recording choices = new Recording();
        Simulation sim = new Simulation(choices);
        sim.observeFootprints(true);
        Completion done = new Completion(sim, "done");
        sim.spawn("waiter", done::waitForCompletion);
        sim.spawn("completer", () -> {
            sim.preemptionPoint("before");
            done.complete();
            sim.preemptionPoint("after");
        });

        sim.run();

        // start; the waiter at its completion's point (it goes on, queues and blocks: the
        // completer is the only one left, no decision); the completer at "after", having woken
        // the waiter: two stretches, the waiter's and the completer's.
        List<Event> events = choices.decisions.get(2);
        assertThat(events).extracting(Event::actor).containsExactly(0, 1);
        assertThat(events.get(0).footprint().conflictsWith(events.get(1).footprint())).isTrue();
    }

    @Test
    void rwsem_uncontendedReaders_commuteAndAWriterConflictsWithThem() {
        Recording choices = new Recording();
        Simulation sim = new Simulation(choices);
        sim.observeFootprints(true);
        RwSemaphore sem = new RwSemaphore(sim, "mmap_lock", new LockClass("mmap_lock"));
        List<Footprint> reader = new ArrayList<>();
        sim.spawn("r", () -> {
            sem.downRead();
            sem.upRead();
            sim.preemptionPoint("after read");
            sem.downWrite();
            sem.upWrite();
            sim.preemptionPoint("after write");
        });
        sim.spawn("other", () -> sim.preemptionPoint("elsewhere"));

        sim.run();

        // decisions: start, at "mmap_lock read", "after read", "mmap_lock write", "after write"
        Footprint read = without(choices.decisions.get(2).get(0).footprint(), "task");
        Footprint write = without(choices.decisions.get(4).get(0).footprint(), "task");
        reader.add(read);
        assertThat(read.conflictsWith(read)).as("two readers").isFalse();
        assertThat(read.conflictsWith(write)).as("reader and writer").isTrue();
        assertThat(write.conflictsWith(write)).as("two writers").isTrue();
    }

    @Test
    void wake_wakerAndWokenActorsResumption_conflict() {
        // The sleeper first; at "after wake" the sleeper again, so its resumption is a stretch.
        Recording choices = new Recording(0, 0);
        Simulation sim = new Simulation(choices);
        sim.observeFootprints(true);
        WaitQueue wq = new WaitQueue(sim, "wq");
        boolean[] flag = new boolean[1];
        sim.spawn("sleeper", () -> {
            wq.waitEvent(() -> flag[0]);
            sim.preemptionPoint("woken");
        });
        sim.spawn("waker", () -> {
            sim.preemptionPoint("wake");
            flag[0] = true;
            wq.wakeUpAll();
            sim.preemptionPoint("after wake");
        });

        sim.run();

        Footprint waker = null;
        Footprint resumed = null;
        for (List<Event> events : choices.decisions) {
            for (Event e : events) {
                if (e.actor() == 1 && e.footprint().accesses().toString().contains("write task sleeper")) {
                    waker = e.footprint();
                }
                if (e.actor() == 0 && waker != null && resumed == null) {
                    resumed = e.footprint();
                }
            }
        }
        assertThat(waker).isNotNull();
        assertThat(resumed).isNotNull();
        assertThat(waker.conflictsWith(resumed)).isTrue();
    }

    @Test
    void prune_endsTheRunAsPrunedAtThatStep() {
        ChoiceSource prune = new ChoiceSource() {
            private int decisions;

            @Override
            public int pickActor(SchedulingPoint point) {
                return ++decisions == 3 ? PRUNE : 0;
            }

            @Override
            public int pickValue(String label, int bound) {
                return 0;
            }
        };
        Simulation sim = new Simulation(prune);
        List<String> reached = new ArrayList<>();
        for (String name : List.of("a", "b")) {
            sim.spawn(name, () -> {
                for (int i = 0; i < 5; i++) {
                    sim.preemptionPoint("p" + i);
                    reached.add(name + i);
                }
            });
        }

        Outcome outcome = sim.run();

        assertThat(outcome).isInstanceOf(Outcome.Pruned.class);
        assertThat(((Outcome.Pruned) outcome).steps()).isEqualTo(2);
        assertThat(reached).containsExactly("a0");
    }

    @Test
    void sharedKeys_twoExecutionsBuildingTheSameObjects_nameThemAlike() {
        List<Shared.Key> first = keys();
        List<Shared.Key> second = keys();

        assertThat(second).isEqualTo(first).doesNotHaveDuplicates();
        // The mutex made between them took a serial of its own.
        assertThat(first.get(1).serial() - first.get(0).serial()).isEqualTo(2);
    }

    @Test
    void observed_choiceSourceNotWantingFootprints_recordsNothing() {
        List<Footprint> seen = new ArrayList<>();
        Simulation sim = new Simulation(new ChoiceSource() {
            @Override
            public int pickActor(SchedulingPoint point) {
                for (int i = 0; i < point.eventCount(); i++) {
                    seen.add(point.eventFootprint(i));
                }
                return 0;
            }

            @Override
            public int pickValue(String label, int bound) {
                return 0;
            }
        });
        sim.observeFootprints(true);
        Shared cell = sim.shared("cell");
        sim.spawn("a", () -> {
            cell.write();
            sim.preemptionPoint("p");
        });
        sim.spawn("b", () -> { });

        sim.run();

        assertThat(seen).isNotEmpty().containsOnly(Footprint.UNKNOWN);
    }

    private static List<Shared.Key> keys() {
        Simulation sim = new Simulation(new RandomChoiceSource(1));
        List<Shared.Key> keys = new ArrayList<>();
        keys.add(sim.shared("a").key());
        new Mutex(sim, "m", new LockClass("m"));
        keys.add(sim.shared("b").key());
        return keys;
    }

    /** The footprint without the scheduler's own task-state accesses. */
    private static Footprint without(Footprint f, String kindPrefix) {
        Footprint out = Footprint.NONE;
        for (Access a : f.accesses()) {
            if (!a.resource().toString().startsWith(kindPrefix)) {
                out = out.plus(a);
            }
        }
        return out;
    }
}
