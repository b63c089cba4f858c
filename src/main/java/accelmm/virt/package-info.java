/**
 * Guests: KVM's two-stage MMU over a VMM's address space (KERNEL-SEMANTICS §17, virt/kvm/ and
 * arch/{x86,arm64}/kvm/ in Linux).
 *
 * <p>A VM ({@link accelmm.virt.Kvm}) belongs to one VMM process's mm. Its guest memory is that
 * process's virtual memory, listed in memslots ({@code KVM_SET_USER_MEMORY_REGION}); the guest's
 * own page tables ({@code GuestStage1}) give each guest page a memory type and nothing else (no
 * guest kernel: guest virtual addresses are guest physical ones); the stage-2 table maps guest
 * frames to the frames the VMM's addresses resolved to ({@code hva_to_pfn}: GUP with FOLL_GET,
 * or {@code follow_pfnmap_start} and {@code fixup_user_fault} for VM_IO / VM_PFNMAP memory such
 * as a dma-buf or GEM mmap). One vCPU ({@code KvmVcpu}) runs the guest's loads and stores; a
 * missing or read-only stage-2 entry is a stage-2 fault.
 *
 * <p>Design key {@code kvm} ({@link accelmm.virt.KvmDesign}): {@code notifier} is mainline — an
 * mmu notifier zaps stage-2 entries on every invalidation of the VMM's mm, and {@code
 * mmu_invalidate_seq} with the in-progress range makes a fault that raced with one retry (the
 * window between sampling the seq and installing under {@code mmu_lock} is two preemption
 * points of the fault). {@code pfn-walk} is KVM before mmu notifiers: nothing zaps, nothing
 * retries; the entry of a normal page keeps GUP's reference until the VM dies, so migration and
 * reclaim leave the page alone, but a PFNMAP PFN is kept with no reference at all. That KVM of
 * old kept those references is as recalled, not checked against a kernel of that time.
 *
 * <p>Verdicts. A guest access is reported through {@code PhysicalMemory} with {@code Via.GUEST},
 * {@code through} {@code guest gpa 0x…}, the effective memory type of the two stages ({@code
 * Stage2Attr}) and {@code invalidatedMapping} set when the VMM's own PTE at the entry's address no
 * longer maps the entry's frame (never under {@code notifier}). The guest is not a principal of
 * its own: KVM acts for the VMM, whose process is the principal, and what matters to the checker
 * is whose memory the guest reaches. Under {@code pfn-walk} an exporter's move frees the PFNMAP
 * frames the guest still maps and a reuse hands them to another owner: such an access is a
 * {@code use-after-free} (judged before {@code secret-leak}: the frame was freed and reused); a
 * {@code stale-access} is one whose old frame is still allocated — the VMM unmapped its
 * anonymous backing and mapped fresh memory there, or wrote to a zero page the guest had read,
 * and the guest keeps the old page. {@code incoherent-access} compares the effective type with
 * the frame's own; an x86 guest's uncached accesses snoop the caches (self-snoop: KVM honours a
 * guest's PAT for RAM only on such CPUs), an arm64 guest's do not.
 *
 * <p>Costs: a stage-2 fault counts a device fault, an entry installed a device PTE write, an
 * invalidation that zapped entries a notifier invalidation and a TLB invalidation (the remote
 * flush).
 *
 * <p>Left out: more than one vCPU; nested paging; TLB timing (a zap and its flush are one step);
 * huge pages; dirty logging; async page faults; guest_memfd, TDX and SEV; the pfn caches and
 * {@code kvm_vcpu_map} (whose pin of a PFNMAP PFN is refused, -EINVAL); MTRRs, CR0.CD and
 * non-coherent DMA (which make x86 honour the guest's PAT even with the quirk on); arm64 MTE,
 * VM_ALLOW_ANY_UNCACHED and cacheable PFNMAP; the x86 PAT's refusal of conflicting aliases; the
 * direct map (the frame's own type stands for it); deleting or moving a memslot, read-only
 * memslots, slot ids beyond {@code KVM_USER_MEM_SLOTS} and gfns beyond the guest's physical
 * address width; the {@code hva_to_pfn_fast} path (it finds what the slow path finds); MMIO
 * emulation: an access with no memslot, or a write to a read-only PFNMAP entry, ends with -EFAULT
 * where KVM would exit to the VMM.
 */
package accelmm.virt;
