package accelmm.scenario;

import static accelmm.scenario.InterpreterHarness.parse;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The guest statements ({@code kvm_create}, {@code kvm_map}, {@code guest_map}, {@code
 * guest_read}, {@code guest_write}) and the VMM's {@code guest-caching} policy.
 */
class InterpreterGuestTest {

    /** FEAT_S2FWB is arm64's (CA-03): an x86 guest, the default, has no such option. */
    @Test
    void kvmCreate_fwbWithX86_refusedAtKey() {
        assertThatThrownBy(() -> parse("""
                scenario "fwb on x86"
                process A

                thread A.main:
                  g = kvm_create fwb=yes
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:5:18: fwb= is an arm64 option, and this guest is arch=x86 (fwb= is arm64's"
                        + " FEAT_S2FWB; arch= left out is x86)");
    }

    /** KVM_X86_QUIRK_IGNORE_GUEST_PAT is x86's (CA-02). */
    @Test
    void kvmCreate_guestPatWithArm64_refusedAtKey() {
        assertThatThrownBy(() -> parse("""
                scenario "guest-pat on arm64"
                process A

                thread A.main:
                  g = kvm_create guest-pat=ignore arch=arm64
                """))
                .isInstanceOf(ScenarioError.class)
                .hasMessage("inline.scn:5:18: guest-pat= is an x86 option, and this guest is arch=arm64"
                        + " (guest-pat= is x86's KVM_X86_QUIRK_IGNORE_GUEST_PAT)");
    }
}
