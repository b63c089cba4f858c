package accelmm.mm;

/** The {@code vm_fault_t} outcomes the model distinguishes. */
public enum VmFaultResult {
    /** The fault was handled; the PTE is in place (or a page was handed back). */
    OK,
    /** The handler installed the PTE itself ({@code VM_FAULT_NOPAGE}). */
    NOPAGE,
    /** No memory behind the address any more ({@code VM_FAULT_SIGBUS}). */
    SIGBUS,
    /** No valid mapping or no permission ({@code VM_FAULT_SIGSEGV}). */
    SIGSEGV,
    /** Out of memory ({@code VM_FAULT_OOM}). */
    OOM;

    /** Whether the access that faulted cannot complete ({@code VM_FAULT_ERROR}). */
    public boolean isError() {
        return this == SIGBUS || this == SIGSEGV || this == OOM;
    }
}
