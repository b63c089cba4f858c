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
 * points of the fault; x86 checks the range, {@code mmu_invalidate_retry_gfn}, arm64 any
 * invalidation in progress, {@code mmu_invalidate_retry}). Where the kernel's vCPU would spin
 * re-entering the guest until the invalidating CPU ends the invalidation, the model's waits for
 * that end. {@code pfn-walk} is KVM before mmu notifiers: nothing zaps, nothing
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
 * <p>Cacheable PFNMAP memory on arm64 ({@code arch/arm64/kvm/mmu.c}). {@code
 * kvm_vma_is_cacheable} reads the memory type of the VMA's {@code vm_page_prot} ({@code
 * Vma.pageProt}), not of its PTEs: TTM's GEM mmap and a dma-buf mmap of a GEM object keep the
 * cacheable default even over write-combined VRAM, uacce's doorbell too. Without {@code
 * kvm_supports_cacheable_pfnmap} (FEAT_S2FWB with CTR_EL0.DIC; the model's {@code fwb} stands for
 * both) {@code kvm_arch_prepare_memory_region} refuses a new memslot over such a VM_PFNMAP VMA
 * (-EINVAL), and {@code user_mem_abort} refuses a device PFN of one mapped after the memslot
 * (-EFAULT). With it the PFN is mapped Normal-WB and FWB makes every guest access WB: a cached
 * alias of a write-combined buffer, an {@code incoherent-access}. A write-combined or uncached
 * {@code vm_page_prot} is mapped Device-nGnRE as before. x86 checks none of this.
 *
 * <p>Costs: a stage-2 fault counts a device fault, an entry installed a device PTE write, an
 * invalidation that zapped entries a notifier invalidation and a TLB invalidation (the remote
 * flush).
 *
 * <p>Footprints: a VM's memslots and lifetime, its stage-2 table and the guest's stage 1 (by
 * gfn), the invalidation seq and range (apart from the active count, which a fault never
 * reads) and the last access types (written only when a page's types change) report their
 * state through {@link accelmm.sim.Shared}s of their own.
 *
 * <p>Left out: more than one vCPU; nested paging; TLB timing (a zap and its flush are one step);
 * huge pages; dirty logging; async page faults; guest_memfd, TDX and SEV; the pfn caches and
 * {@code kvm_vcpu_map} (whose pin of a PFNMAP PFN is refused, -EINVAL); MTRRs, CR0.CD and
 * non-coherent DMA (which make x86 honour the guest's PAT even with the quirk on); AMD NPT;
 * arm64 MTE, dirty logging's refusal of PFNMAP memslots and VM_ALLOW_ANY_UNCACHED (a
 * non-cacheable PFNMAP is always Device-nGnRE here, never Normal-NC); the x86 PAT's refusal of
 * conflicting aliases; the
 * direct map (the frame's own type stands for it); deleting or moving a memslot, read-only
 * memslots, slot ids beyond {@code KVM_USER_MEM_SLOTS} and gfns beyond the guest's physical
 * address width; the {@code hva_to_pfn_fast} path (it finds what the slow path finds); MMIO
 * emulation: an access with no memslot, or a write to a read-only PFNMAP entry, ends with -EFAULT
 * where KVM would exit to the VMM.
 */
package accelmm.virt;
