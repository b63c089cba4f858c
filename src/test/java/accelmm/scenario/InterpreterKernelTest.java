package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.explore;
import static accelmm.scenario.InterpreterHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.Exploration;
import accelmm.check.RunResult;
import org.junit.jupiter.api.Test;

/** Kernel activity in {@code thread kernel.NAME} blocks: migration and reclaim under a process. */
class InterpreterKernelTest {

    private static final String MOVE_THEN_READ = """
            scenario "kernel moves a page, the process reads it"
            process A

            thread A.main:
              p = mmap 8K
              write p "hello"
              write p+4K 0xAB*4K
              signal written
              await moved
              expect read p 5 == "hello"
              expect read p+4K 4K == 0xAB*4K

            thread kernel.mover after written:
              %s A A.p 4K
              %s A A.p+4K 4K
              signal moved
            """;

    @Test
    void migrate_mappedPages_laterReadSeesData() {
        String text = MOVE_THEN_READ.formatted("migrate", "migrate");

        RunResult r = run(text, 0);
        Exploration e = explore(text);

        // Each call moved its page (it returns the pages migrated), and the reads hold.
        assertThat(r.trace().render()).contains("kernel.mover: migrate A A.p 4K -> 1",
                "kernel.mover: migrate A A.p+4K 4K -> 1");
        assertThat(r.violation()).isNull();
        assertThat(e.violated()).as("%s", e.firstViolation()).isFalse();
    }

    @Test
    void reclaim_mappedPages_laterReadSeesData() {
        String text = MOVE_THEN_READ.formatted("reclaim", "reclaim");

        RunResult r = run(text, 0);
        Exploration e = explore(text);

        assertThat(r.trace().render()).contains("kernel.mover: reclaim A A.p 4K -> 1",
                "kernel.mover: reclaim A A.p+4K 4K -> 1");
        assertThat(r.violation()).isNull();
        assertThat(e.violated()).as("%s", e.firstViolation()).isFalse();
    }

    @Test
    void migrateAndReclaim_racingWithWrites_dataKept() {
        // Without the events, the kernel thread runs at any point of A's writes and reads.
        Exploration e = explore("""
                scenario "kernel moves pages while A writes"
                process A

                thread A.main:
                  p = mmap 8K
                  write p "hello"
                  write p+4K "world"
                  expect read p 5 == "hello"
                  expect read p+4K 5 == "world"

                thread kernel.mover:
                  migrate A A.p 8K
                  reclaim A A.p 8K
                  migrate A A.p 8K
                """);

        assertThat(e.violated()).as("%s", e.firstViolation()).isFalse();
    }

    @Test
    void migrate_processAlreadyExited_returnsOk() {
        RunResult r = run("""
                scenario "nothing left to move"
                process A

                thread A.main:
                  p = mmap 4K
                  write p "x"

                thread kernel.mover after A.exit:
                  migrate A A.p 4K
                  reclaim A A.p 4K
                """, 0);

        assertThat(r.violation()).isNull();
        assertThat(r.trace().render()).contains("kernel.mover: migrate A A.p 4K -> ok",
                "kernel.mover: reclaim A A.p 4K -> ok");
    }
}
