package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.firstViolation;
import static accelmm.scenario.InterpreterHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import accelmm.check.InvariantKind;
import accelmm.check.RunResult;
import accelmm.check.Violation;
import accelmm.sim.RandomChoiceSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Names checked when a scenario is loaded for running: a name bound nowhere in the file (by
 * its process, or inherited from the process that forks it) is a typo reported with a
 * suggestion, and a field of a name whose binding has no fields names nothing.
 */
class NameChecksTest {

    @Test
    void parse_nameNeverBound_refusedWithSuggestion() {
        assertThatThrownBy(() -> parse("""
                scenario "typo"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K
                  ioctl fd gem_close bf
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:8:22: name 'bf' is never bound in process A (did you mean 'bo'?)");
    }

    @Test
    void parse_otherProcessNameNeverBound_refusedWithQualifiedSuggestion() {
        assertThatThrownBy(() -> parse("""
                scenario "A.q"
                process A
                process B

                thread A.main:
                  p = mmap 4K

                thread B.main:
                  munmap A.q 4K
                  munmap A.pp 4K
                """))
                .isInstanceOfSatisfying(ScenarioError.class, e -> assertThat(e.problems())
                        .extracting(ScenarioError.Problem::message).containsExactly(
                                "inline.scn:9:10: name 'A.q' is never bound in process A",
                                "inline.scn:10:10: name 'A.pp' is never bound in process A (did you mean 'A.p'?)"));
    }

    @Test
    void parse_plainNameInKernelThread_suggestsTheProcessName() {
        assertThatThrownBy(() -> parse("""
                scenario "kernel threads bind nothing"
                process A

                thread A.main:
                  p = mmap 4K

                thread kernel.mover:
                  migrate A p 4K
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:8:13: name 'p' is never bound in process kernel "
                        + "(kernel threads bind nothing; did you mean 'A.p'?)");
    }

    @Test
    void parse_expectNameAgainstPlainNameBoundNowhere_refusedAsTypo() {
        // A word only makes sense compared with a field (I.caching == wc): 'mine' here is a typo,
        // which used to be compared as a word and failed inside the interpreter.
        assertThatThrownBy(() -> parse("""
                scenario "expect g != mine"
                process A

                thread A.main:
                  g = mmap 4K
                  mime = mmap 4K
                  expect g != mine
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:7:15: name 'mine' is never bound in process A (did you mean 'mime'?)");
    }

    @Test
    void expect_forkedChildComparesWithInheritedName_comparesTheBindings() {
        // PRIME import through the fd the child inherited finds the handle the parent created in
        // the same DRM file (drm_prime_fd_to_handle_ioctl: drm_prime_lookup_buf_handle).
        Violation v = firstViolation("""
                scenario "child compares with its parent's bo"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K
                  db = ioctl fd prime_handle_to_fd bo
                  fork B

                thread B.main:
                  h = ioctl fd prime_fd_to_handle db
                  expect h == bo
                  p = mmap 4K
                  c = mmap 4K at=p
                  expect c == p
                  expect c != bo
                """);

        assertThat(v).isNull();
    }

    @Test
    void expect_forkedChildComparesWithInheritedName_failureShowsTheValue() {
        RunResult r = InterpreterHarness.run("""
                scenario "child compares with its parent's p"
                process A

                thread A.main:
                  p = mmap 4K at=0x40000000
                  fork B

                thread B.main:
                  q = mmap 4K at=0x50000000
                  expect q == p
                """, 0);

        assertThat(r.violation().invariant()).isEqualTo(InvariantKind.EXPECTATION);
        assertThat(r.violation().message()).isEqualTo("inline.scn:10: `expect q == p` does not hold: q is 1342177280");
    }

    @Test
    void parse_fieldOfNameBoundNowhere_refused() {
        assertThatThrownBy(() -> parse("""
                scenario "X.field"
                process A

                thread A.main:
                  p = mmap 4K
                  expect X.vm == 3
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:6:10: name 'X' is never bound in process A");
    }

    @Test
    void parse_fieldOfGemHandle_refusedNamingTheBindingOperation() {
        assertThatThrownBy(() -> parse("""
                scenario "bo.vm"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K
                  expect bo.vm == 1
                  munmap fd.va 4K
                """))
                .isInstanceOfSatisfying(ScenarioError.class, e -> assertThat(e.problems())
                        .extracting(ScenarioError.Problem::message).containsExactly(
                                "inline.scn:8:10: 'bo.vm' names nothing: 'bo' is bound by 'ioctl gem_create' at line 7,"
                                        + " whose result has no fields",
                                "inline.scn:9:10: 'fd.va' names nothing: 'fd' is bound by 'open' at line 6,"
                                        + " whose result has no fields"));
    }

    @Test
    void parse_fieldOfReceivedOrInheritedName_refusedNamingItsBindingStatement() {
        // A name bound by recv, and one a forked child inherits, are found where their statement
        // starts, in the process that binds them.
        assertThatThrownBy(() -> parse("""
                scenario "db.size"
                device gpu0 kind=gpu
                process A
                process B

                thread A.main:
                  fd = open gpu0
                  send fd to B as db
                  fork A1

                thread B.main:
                  recv db
                  munmap db.size 4K

                thread A1.main:
                  munmap fd.x 4K
                """))
                .isInstanceOfSatisfying(ScenarioError.class, e -> assertThat(e.problems())
                        .extracting(ScenarioError.Problem::message).containsExactly(
                                "inline.scn:13:10: 'db.size' names nothing: 'db' is bound by 'recv' at line 12,"
                                        + " whose result has no fields",
                                "inline.scn:16:10: 'fd.x' names nothing: 'fd' is bound by 'open' at line 7,"
                                        + " whose result has no fields"));
    }

    @Test
    void parse_mistypedProcessBeforeAName_suggestsTheProcessName() {
        // Alpa is no process, so Alpa.p reads as field p of a name Alpa.
        assertThatThrownBy(() -> parse("""
                scenario "Alpa.p"
                process Alpha
                process Beta

                thread Alpha.main:
                  p = mmap 4K

                thread Beta.main:
                  munmap Alpa.p 4K
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:9:10: name 'Alpa' is never bound in process Beta, and no process is called"
                        + " 'Alpa' (did you mean 'Alpha.p'?)");
    }

    @Test
    void parse_processWhereANameGoes_saysItIsAProcess() {
        assertThatThrownBy(() -> parse("""
                scenario "expect Alpha"
                process Alpha

                thread Alpha.main:
                  p = mmap 4K
                  expect Alpha == 3
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:6:10: 'Alpha' is a process, not a name (a name of process Alpha is written"
                        + " 'Alpha.NAME')");
    }

    @Test
    void parse_fieldComparedWithWord_parsesTheWordAsAWord() {
        // The language keeps fields (E.vm, I.caching): the parser reads them, the load checks
        // let through those of a record-valued statement.
        Scenario s = Parser.parse("t.scn", Scenarios.inThread("expect i.caching == wc"));

        Statement.ExpectValue e = (Statement.ExpectValue) s.threads().get(0).body().get(0);
        assertThat(e.expected()).isEqualTo(new Value.Word("wc"));
        assertThat(e.uses()).extracting(Statement.NameUse::name)
                .containsExactly(new Value.Field(Value.Ref.local("i"), "caching"));
    }

    @Test
    void run_fieldOfBoundNumberPastTheLoadChecks_isExpectationFailureNotInternalError() {
        // The parser alone lets the field through; the interpreter still fails the run cleanly.
        Scenario scenario = Parser.parse("inline.scn", """
                scenario "bo.vm at run time"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K
                  expect bo.vm == 1
                """);

        RunResult r = new ScenarioModel(scenario, Map.of()).execute(new RandomChoiceSource(0), true);

        assertThat(r.violation().invariant()).isEqualTo(InvariantKind.EXPECTATION);
        assertThat(r.violation().message()).isEqualTo(
                "inline.scn:8: `expect bo.vm == 1`: 'bo.vm' names nothing: 'bo' is a GEM handle (1), which has no fields");
    }

    @Test
    void parse_evictOfAnImportHandle_refusedWithTheBindingAndTheExportersName() {
        // The handle prime_fd_to_handle returns is a number in the program; the object evict
        // moves is the exporter's, and its importers follow the move.
        assertThatThrownBy(() -> parse("""
                scenario "evict an import"
                device gpu0 kind=gpu
                device gpu1 kind=gpu
                process A

                thread A.main:
                  a   = open gpu0
                  b   = open gpu1
                  bo  = ioctl a gem_create 4K
                  db  = ioctl a prime_handle_to_fd bo
                  imp = ioctl b prime_fd_to_handle db

                thread kernel.evictor:
                  evict A.imp
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:14:9: evict takes a name bound by gem_create (the exporter's object); "
                        + "'A.imp' is bound by 'ioctl prime_fd_to_handle' at line 11, an import's handle: evict the "
                        + "exporter's object, and its importers follow the move");
    }

    @Test
    void parse_evictOfAnOpenFd_refused() {
        assertThatThrownBy(() -> parse("""
                scenario "evict an fd"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0

                thread kernel.evictor:
                  evict A.fd
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:9:9: evict takes a name bound by gem_create (the exporter's object); "
                        + "'A.fd' is bound by 'open' at line 6");
    }

    @Test
    void parse_evictOfAGemCreateName_accepted() {
        assertThat(parse("""
                scenario "evict an object"
                device gpu0 kind=gpu
                process A

                thread A.main:
                  fd = open gpu0
                  bo = ioctl fd gem_create 4K

                thread kernel.evictor:
                  evict A.bo
                """)).isNotNull();
    }
}
