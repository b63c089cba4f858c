package accelmm.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scenarios run under {@link SimTesting#keepRunning()}: an actor runs until it blocks or
 * ends, then the lowest runnable id continues. A holder keeps the semaphore until {@code
 * opener} completes its gate, so every later arrival has queued or entered by then.
 */
class RwSemaphoreTest {

    private final Simulation sim = new Simulation(SimTesting.keepRunning());
    private final RwSemaphore sem = new RwSemaphore(sim, "sem", new LockClass("sem"));
    private final Completion gate = new Completion(sim, "gate");
    private final List<String> log = new ArrayList<>();

    @Test
    void downRead_severalReaders_holdTogether() {
        int[] holding = {0};
        WaitQueue allIn = new WaitQueue(sim, "all in");
        for (String name : new String[] {"r1", "r2", "r3"}) {
            sim.spawn(name, () -> {
                sem.downRead();
                holding[0]++;
                allIn.wakeUpAll();
                // Deadlocks unless all three hold the semaphore at once.
                allIn.waitEvent(() -> holding[0] == 3);
                sem.upRead();
            });
        }

        SimTesting.assertCompleted(sim.run());
    }

    @Test
    void downRead_whileWriteHeld_waitsForWriter() {
        sim.spawn("writer", () -> {
            sem.downWrite();
            log.add("writer in");
            gate.waitForCompletion();
            log.add("writer out");
            sem.upWrite();
        });
        sim.spawn("reader", () -> {
            sem.downRead();
            log.add("reader in");
            sem.upRead();
        });
        sim.spawn("opener", gate::complete);

        SimTesting.assertCompleted(sim.run());

        assertThat(log).containsExactly("writer in", "writer out", "reader in");
    }

    @Test
    void downWrite_whileReadHeld_waitsForReader() {
        sim.spawn("reader", () -> {
            sem.downRead();
            log.add("reader in");
            gate.waitForCompletion();
            log.add("reader out");
            sem.upRead();
        });
        sim.spawn("writer", () -> {
            sem.downWrite();
            log.add("writer in");
            sem.upWrite();
        });
        sim.spawn("opener", gate::complete);

        SimTesting.assertCompleted(sim.run());

        assertThat(log).containsExactly("reader in", "reader out", "writer in");
    }

    @Test
    void downRead_behindWaitingWriter_waitsForWriter() {
        sim.spawn("r1", () -> {
            sem.downRead();
            log.add("r1 in");
            gate.waitForCompletion();
            log.add("r1 out");
            sem.upRead();
        });
        sim.spawn("writer", () -> {
            sem.downWrite();
            log.add("writer in");
            log.add("writer out");
            sem.upWrite();
        });
        // Arrives while r1 reads and the writer waits: it must not overtake the writer.
        sim.spawn("r2", () -> {
            sem.downRead();
            log.add("r2 in");
            sem.upRead();
        });
        sim.spawn("opener", gate::complete);

        SimTesting.assertCompleted(sim.run());

        assertThat(log).containsExactly("r1 in", "r1 out", "writer in", "writer out", "r2 in");
    }

    @Test
    void upWrite_readersWaiting_admitsThemTogether() {
        int[] holding = {0};
        WaitQueue bothIn = new WaitQueue(sim, "both in");
        sim.spawn("writer", () -> {
            sem.downWrite();
            gate.waitForCompletion();
            sem.upWrite();
        });
        for (String name : new String[] {"r1", "r2"}) {
            sim.spawn(name, () -> {
                sem.downRead();
                holding[0]++;
                bothIn.wakeUpAll();
                bothIn.waitEvent(() -> holding[0] == 2);
                sem.upRead();
            });
        }
        sim.spawn("opener", gate::complete);

        SimTesting.assertCompleted(sim.run());
    }

    @Test
    void downgradeWrite_readerWaiting_letsReaderIn() {
        boolean[] readerIn = {false};
        WaitQueue readerEntered = new WaitQueue(sim, "reader entered");
        sim.spawn("writer", () -> {
            sem.downWrite();
            gate.waitForCompletion();
            sem.downgradeWrite();
            // Deadlocks unless the downgrade admitted the waiting reader.
            readerEntered.waitEvent(() -> readerIn[0]);
            sem.upRead();
        });
        sim.spawn("reader", () -> {
            sem.downRead();
            readerIn[0] = true;
            readerEntered.wakeUpAll();
            sem.upRead();
        });
        sim.spawn("opener", gate::complete);

        SimTesting.assertCompleted(sim.run());
    }

    @Test
    void downgradeWrite_writerWaiting_keepsWriterOut() {
        Completion stillReading = new Completion(sim, "still reading");
        sim.spawn("holder", () -> {
            sem.downWrite();
            gate.waitForCompletion();
            sem.downgradeWrite();
            log.add("holder downgraded");
            // Gives up the CPU while holding the semaphore for reading.
            stillReading.waitForCompletion();
            log.add("holder out");
            sem.upRead();
        });
        sim.spawn("writer", () -> {
            sem.downWrite();
            log.add("writer in");
            sem.upWrite();
        });
        sim.spawn("opener", gate::complete);
        sim.spawn("finisher", stillReading::complete);

        SimTesting.assertCompleted(sim.run());

        assertThat(log).containsExactly("holder downgraded", "holder out", "writer in");
    }

    @Test
    void upRead_notHeld_failsRun() {
        sim.spawn("a", sem::upRead);

        assertThat(sim.run()).isInstanceOfSatisfying(Outcome.Failed.class,
                failed -> assertThat(failed.cause()).isInstanceOf(IllegalStateException.class)
                        .hasMessage("a up_read on sem it does not hold"));
    }

    @Test
    void kill_waitingWriter_admitsReaderQueuedBehindIt() {
        sim.spawn("r1", () -> {
            sem.downRead();
            gate.waitForCompletion();
            log.add("r1 out");
            sem.upRead();
        });
        Actor writer = sim.spawn("writer", sem::downWrite);
        sim.spawn("r2", () -> {
            sem.downRead();
            log.add("r2 in");
            sem.upRead();
        });
        sim.spawn("killer", () -> sim.kill(writer));
        sim.spawn("opener", gate::complete);

        SimTesting.assertCompleted(sim.run());

        assertThat(log).containsExactly("r2 in", "r1 out");
    }
}
