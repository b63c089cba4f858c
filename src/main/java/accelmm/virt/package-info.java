/**
 * Guests: KVM's two-stage MMU over a VMM's address space ({@link accelmm.virt.Kvm}), how the
 * stage-2 fault finds a frame ({@code hva_to_pfn}), the mmu notifier that keeps stage 2 in step
 * with the VMM's page tables, and the memory type of a guest access ({@code Stage2Attr}).
 *
 * <p>The guest is not a principal of its own: KVM acts for the VMM process, whose mm the VM
 * belongs to, so guest accesses are reported with the VMM as principal and {@code Via.GUEST}.
 */
package accelmm.virt;
