package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.firstViolation;
import static accelmm.scenario.InterpreterHarness.run;
import static org.assertj.core.api.Assertions.assertThat;

import accelmm.check.InvariantKind;
import accelmm.check.RunResult;
import accelmm.check.Violation;
import org.junit.jupiter.api.Test;

/** {@code write P secret "S" [allow ...]}: who may read the labelled bytes. */
class InterpreterSecretsTest {

    private static final String SHARED_WITH_CHILD = """
            scenario "secret in MAP_SHARED memory, read by a forked child"
            process A

            thread A.main:
              p = mmap 4K shared
              write p secret "S"%s
              fork B

            thread B.main:
              x = read p 64
            """;

    @Test
    void sharedMapping_forkedChildReadsSecret_secretLeak() {
        RunResult r = run(SHARED_WITH_CHILD.formatted(""), 0);

        assertThat(r.violation().invariant()).isEqualTo(InvariantKind.SECRET_LEAK);
        assertThat(r.violation().actor()).isEqualTo("B.main");
        assertThat(r.violation().message())
                .isEqualTo("CPU read by B through cpu va 0x10000000 returned bytes of secret \"S\" (allowed: A)");
    }

    @Test
    void sharedMapping_secretAllowsChild_clean() {
        Violation v = firstViolation(SHARED_WITH_CHILD.formatted(" allow B"));

        assertThat(v).isNull();
    }

    @Test
    void secret_readByItsWriter_clean() {
        Violation v = firstViolation("""
                scenario "own secret"
                process A

                thread A.main:
                  p = mmap 4K
                  write p secret "S" size=128
                  x = read p 128
                  expect read p 3 == "<S>"
                """);

        assertThat(v).isNull();
    }

    @Test
    void secret_overwrittenBeforeFork_childReadClean() {
        // The label belongs to the bytes: bytes stored over the secret are not secret.
        Violation v = firstViolation("""
                scenario "overwritten secret"
                process A

                thread A.main:
                  p = mmap 4K shared
                  write p secret "S"
                  write p 0x00*64
                  fork B

                thread B.main:
                  x = read p 64
                """);

        assertThat(v).isNull();
    }

    @Test
    void privateMapping_childReadsSecretCopiedByFork_secretLeak() {
        // COW shares the page with the child; its label comes along.
        RunResult r = run("""
                scenario "secret in private memory, read by a forked child"
                process A

                thread A.main:
                  p = mmap 4K
                  write p secret "S"
                  fork B

                thread B.main:
                  x = read p 8
                """, 0);

        assertThat(r.violation().invariant()).isEqualTo(InvariantKind.SECRET_LEAK);
        assertThat(r.violation().message()).contains("read by B", "secret \"S\"");
    }

    @Test
    void expect_comparedWithASecretBeforeItIsWritten_doesNotMakeTheComparerItsOwner() {
        // B compares with secret "token" before A writes it: a comparison writes nothing, so the
        // secret is A's alone and B's read of it is still a leak.
        Violation v = firstViolation("""
                scenario "comparing is not writing"
                process A

                thread A.main:
                  p = mmap 4K shared
                  fork B
                  await compared
                  write p secret "token"
                  signal written

                thread B.main:
                  expect read p 64 != secret "token"
                  signal compared
                  await written
                  x = read p 64
                """);

        assertThat(v.invariant()).isEqualTo(InvariantKind.SECRET_LEAK);
    }

    @Test
    void expect_kernelThreadComparesBytesWithASecret_holdsWithoutAProcess() {
        // Found by the scenario fuzzer: the comparison registered the secret for the comparing
        // thread's process, and a kernel thread has none.
        Violation v = firstViolation("""
                scenario "the kernel compares"
                process A

                thread A.main:
                  p = mmap 4K
                  write p secret "token"
                  x = read p 64
                  signal read

                thread kernel.k after read:
                  expect A.x == secret "token"
                  expect A.x != secret "other"
                """);

        assertThat(v).isNull();
    }
}
