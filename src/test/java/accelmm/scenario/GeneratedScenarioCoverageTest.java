package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.fuzz.ScenarioPlan;
import accelmm.fuzz.ScenarioWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Example;
import net.jqwik.api.RandomGenerator;

/**
 * The scenarios of the internal-error property ({@code accelmm.fuzz}) keep up with the model:
 * together they use every operation and every design key the model runs, every kind of inline
 * expectation and every form an argument takes where the parser gives it a path of its own (a
 * number where an fd or ID goes, an address there, address arithmetic in an expectation, ...),
 * so a statement or a form the language learns is not left out of the search for internal
 * errors unnoticed.
 */
class GeneratedScenarioCoverageTest {

    private static final int SAMPLES = 400;

    /** The forms counted, each of which some sample must use. */
    private static final List<String> FORMS = List.of("expect read ==", "expect read !=", "expect == outcomes",
            "expect == a number", "expect == data", "expect == a name", "expect == address arithmetic",
            "a number for an FD", "a negative number for an FD", "a number for an ID",
            "a name bound to an address for an FD or ID", "a name bound to an mmap offset for an FD",
            "a name bound to an mmap offset for an ID", "fork by a forked child",
            "a secret another process may read");

    @Example
    void generatedScenarios_useEveryModelledOperationDesignKeyAndForm() {
        RandomGenerator<ScenarioPlan> plans = ScenarioPlan.plans(5, 8).generator(1000);
        Set<Operation> operations = EnumSet.noneOf(Operation.class);
        Set<DesignKey> keys = EnumSet.noneOf(DesignKey.class);
        Map<String, Integer> forms = new TreeMap<>();
        for (int i = 0; i < SAMPLES; i++) {
            String text = ScenarioWriter.write(plans.next(new Random(i)).value());
            Scenario s = ModelCoverage.parse("generated.scn", text.getBytes(StandardCharsets.UTF_8));
            s.designs().forEach(d -> keys.add(d.key()));
            new Forms(s, forms).count(operations);
        }
        assertThat(operations).containsAll(ModelCoverage.MODELLED);
        assertThat(keys).containsAll(Arrays.stream(DesignKey.values()).filter(ModelCoverage::designModelled).toList());
        assertThat(forms).as("forms used by %d generated scenarios", SAMPLES)
                .containsKeys(FORMS.toArray(String[]::new));
    }

    /** Counts the forms one scenario uses. */
    private record Forms(Scenario scenario, Map<String, Integer> counts) {

        void count(Set<Operation> operations) {
            Map<String, Operation> boundBy = new LinkedHashMap<>();
            Set<String> forked = new LinkedHashSet<>();
            for (ThreadBlock t : scenario.threads()) {
                for (Statement st : t.body()) {
                    if (st instanceof Statement.Call c) {
                        c.binding().ifPresent(name -> boundBy.put(name, c.operation()));
                        if (c.operation() == Operation.FORK) {
                            forked.add(c.word("child"));
                        }
                    }
                }
            }
            for (ThreadBlock t : scenario.threads()) {
                for (Statement st : t.body()) {
                    switch (st) {
                        case Statement.Call c -> {
                            operations.add(c.operation());
                            call(c, boundBy);
                            if (c.operation() == Operation.FORK && forked.contains(t.process())) {
                                add("fork by a forked child");
                            }
                        }
                        case Statement.ExpectRead e -> add(e.equal() ? "expect read ==" : "expect read !=");
                        case Statement.ExpectValue e -> expected(e.expected());
                    }
                }
            }
        }

        private void call(Statement.Call c, Map<String, Operation> boundBy) {
            c.args().forEach((name, value) -> {
                ParamType type = paramType(c.operation(), name);
                String what = type == ParamType.FD ? "FD" : type == ParamType.ID ? "ID" : null;
                if (what != null && value instanceof Value.Num n) {
                    add("a number for an " + what);
                    if (n.value() < 0) {
                        add("a negative number for an " + what);
                    }
                }
                Operation binding = value instanceof Value.Ref r ? boundBy.get(r.name()) : null;
                if (what != null && (binding == Operation.MMAP || binding == Operation.MMAP_FILE)) {
                    add("a name bound to an address for an FD or ID");
                }
                if (what != null && binding == Operation.GEM_MMAP_OFFSET) {
                    // Offsets are beyond a __u32: the fd or ID names nothing the kernel could hold.
                    add("a name bound to an mmap offset for an " + what);
                }
                if (value instanceof Value.Secret secret && !secret.allow().isEmpty()) {
                    add("a secret another process may read");
                }
            });
        }

        private void expected(Value expected) {
            add(switch (expected) {
                case Outcomes o -> "expect == outcomes";
                case Value.Num n -> "expect == a number";
                case Value.Data d -> "expect == data";
                case Value.Offset o -> "expect == address arithmetic";
                case Value.Name n -> "expect == a name";
                case Value.Word w -> "expect == a word";
            });
        }

        private static ParamType paramType(Operation op, String name) {
            Signature sig = op.signature();
            return Stream.concat(sig.positional().stream(), sig.keys().stream())
                    .filter(p -> p.name().equals(name)).findFirst().orElseThrow().type();
        }

        private void add(String form) {
            counts.merge(form, 1, Integer::sum);
        }
    }
}
