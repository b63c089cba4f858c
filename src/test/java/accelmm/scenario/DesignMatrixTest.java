package accelmm.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import accelmm.sim.DesignValue;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a replay token's fingerprint hashes of a design combination ({@link
 * DesignMatrix#canonical}): the keys whose value is not their default, so that a design key
 * added to the model keeps the tokens recorded before it.
 */
class DesignMatrixTest {

    /**
     * A key the scenario does not name, at its default, adds nothing: the text is the one a
     * model without that key (kvm=, guest-caching= before they existed) hashed.
     */
    @Test
    void fingerprint_newKeyAtDefault_tokenUnchanged() {
        Scenario scenario = ModelCoverage.parse("x.scn", """
                scenario "one design"
                design userptr=hmm-no-retry
                process A

                thread A.main:
                  p = mmap 4K
                """.getBytes(StandardCharsets.UTF_8));
        Map<DesignKey, String> combination = Map.of(DesignKey.USERPTR, "hmm-no-retry");

        String canonical = DesignMatrix.canonical(combination);

        assertThat(canonical).isEqualTo("userptr=hmm-no-retry").doesNotContain("kvm=", "guest-caching=");
        assertThat(ScenarioModel.fingerprint(scenario, combination)).isEqualTo(
                Fingerprint.of(scenario.fingerprint() + "\nuserptr=hmm-no-retry", Fingerprint.TOKEN_DIGITS));
    }

    /**
     * A key at its default is left out whether a design line names it or not: {@code design
     * kvm=notifier} runs as a scenario that does not name kvm=, so their tokens agree.
     */
    @Test
    void canonical_keyAtDefault_leftOutNamedOrNot() {
        Map<DesignKey, String> combination = new EnumMap<>(DesignKey.class);
        combination.put(DesignKey.USERPTR, "hmm");
        combination.put(DesignKey.KVM, "notifier");

        assertThat(DesignMatrix.canonical(combination)).isEmpty();
        assertThat(DesignMatrix.canonical(combination)).isEqualTo(DesignMatrix.canonical(Map.of()));
    }

    /** Two combinations that run differently never hash the same text. */
    @Test
    void canonical_differentValues_differentText() {
        assertThat(DesignMatrix.canonical(Map.of(DesignKey.KVM, "pfn-walk")))
                .isNotEqualTo(DesignMatrix.canonical(Map.of(DesignKey.KVM, "notifier")));
    }

    /**
     * A key left out runs as the enum's first constant ({@code Designs.get}), and {@link
     * DesignMatrix#canonical} leaves out a key at {@link DesignKey#defaultValue}: the two must
     * name the same value, or two combinations that run differently would share a token.
     */
    @Test
    void designType_firstConstant_isTheKeysDefault() {
        for (DesignKey key : DesignKey.values()) {
            if (!DesignMatrix.modelled(key)) {
                continue;
            }
            Enum<?> first = DesignMatrix.designType(key).getEnumConstants()[0];

            assertThat(((DesignValue) first).value()).as(key.word()).isEqualTo(key.defaultValue());
        }
    }
}
