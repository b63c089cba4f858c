/**
 * The GPU debugger and, beside it, the device coredump: what the kernel lets a second process
 * (the debugger) or the device's own hang handling read of a process's GPU memory. One layer
 * above the device drivers (it may use {@code drm}, the GPU it debugs) and below {@code virt}
 * and {@code check}.
 *
 * <p>What is modelled. {@link accelmm.debug.XeEudebug} is the xe EU debugger of one device in
 * its first interface (E1: connect by pid, patch series v1-v3 and the backport branches, not
 * merged upstream): {@code xe_eudebug_connect} looks the pid up (a reaped process is -ENOENT),
 * asks {@code ptrace_may_access} in READ_REALCREDS mode (the same uid, or CAP_SYS_PTRACE; a
 * refusal is -EACCES) and keeps one connection per target thread group per device (a second is
 * -EBUSY). A connection is an anonymous file whose release ends the session. The debugger process
 * is the principal of whatever the connection reads.
 *
 * <p>Events and discovery (EUD-04, 06, 07): the debugger installs itself in the device as its
 * {@code drm.EudebugHooks}, which xe's paths call; each connection queues {@link
 * accelmm.debug.XeEudebugEvent}s (OPEN, VM, EXEC_QUEUE with CREATE/DESTROY, VM_BIND then its
 * VM_BIND_OPs) with its own handles ({@link accelmm.debug.XeEudebugResources}) and seqnos. A
 * connect starts a discovery worker that replays the target's files, VMs and exec queues while
 * holding the device's discovery lock for writing, which the debuggee's VM, bind, exec-queue,
 * open and close paths take for reading. READ_EVENT waits for the next event and, when none
 * can come, returns -ENOENT as the driver's 5 s timeout does (the simulation's timed wait).
 * Left out: back-pressure of the 64-entry FIFO, O_NONBLOCK, UFENCE and its ACK, METADATA,
 * EU_ATTENTION and PAGEFAULT events, non-long-running VMs. Where the patch versions differ the
 * model follows the v3 posting (Dec 2024): discovery replays no binds. Not modelled at all: the
 * second interface (E2, connect by the target's DRM client fd, EUD-13), EU thread control.
 *
 * <p>VM access (EUD-08..11): the connection's VM_OPEN gives an {@link
 * accelmm.debug.EudebugVmFile}, {@code [xe_eudebug.vm]}, whose pread/pwrite re-resolve the VM
 * handle and reach the GPU VA range through xe's code ({@code drm.EudebugVmAccess}: objects
 * through the object, userptr ranges through their pages under {@code notifier_lock}). {@link
 * accelmm.debug.DebuggerDesign} (design key {@code debugger}) decides, in {@code
 * EudebugVmFile}, how the memory is reached: a userptr range with the v3 sequence check ({@code
 * eudebug}) or through the stale pages ({@code eudebug-no-retry}), or everything through the
 * target's CPU address space ({@code ptrace}, below).
 *
 * <p>{@link accelmm.debug.DevCoredump} is xe's device coredump ({@code xe_devcoredump}): a job
 * timeout of the device's hung queue takes one dump per device until it is deleted (the {@code
 * captured} flag); phase 1 lists the VM's dumpable mappings at the timeout ({@code
 * drm.VmSnapshot}, as {@code xe_vm_snapshot_capture} lives in xe_vm.c), phase 2 runs later in a
 * worker actor and reads them: objects through the object, userptr ranges in the owner's mm at
 * that time with no sequence check ({@code xe_vm_snapshot_capture_delayed}); the dump is read on
 * behalf of root. {@link accelmm.debug.CoredumpDesign} is the userptr policy the seed argues
 * about (design key {@code coredump}).
 *
 * <p>{@link accelmm.debug.Ptrace} holds the primitives of the CPU-side alternative (PTR-01..04):
 * PTRACE_ATTACH under {@code __ptrace_may_access} in ATTACH_REALCREDS mode, commoncap and
 * Yama at scope 1 (the tracer an ancestor, or CAP_SYS_PTRACE), the stop of every thread of the
 * tracee until detach or the tracer's exit, and PEEK/POKEDATA through {@code access_remote_vm}
 * ({@code mm.RemoteVm}), whose accesses are the tracer's ({@code Via.PTRACE}); {@code
 * process_vm_readv} of one iovec, which needs no attachment and pins pages only (a GEM mmap is
 * -EFAULT). The design value {@code debugger=ptrace} uses them: {@link
 * accelmm.debug.XeEudebug#debugAttach} attaches with ptrace before the eudebug connect (a
 * refusal leaves neither) and the connection's release detaches; {@link
 * accelmm.debug.PtraceVmAccess} reads and writes a GPU VA at the CPU address {@code
 * drm.GpuVaToCpu} finds, with PEEK/POKEDATA. {@code process_vm_readv} is used by no statement.
 *
 * <p>Footprints: the debugger's connection table, each connection's events and flags, its
 * resource tables, a coredump's snapshot and ptrace's tracer table report their state through
 * a {@link accelmm.sim.Shared} of their own.
 *
 * <p>Not modelled: the userptr access of the later series through {@code access_remote_vm}
 * (EUD-12), the E2 connect by DRM client fd (EUD-13), EU attention and thread control, {@code
 * PTRACE_SEIZE}, {@code PR_SET_PTRACER}, Yama scopes other than 1, {@code process_vm_writev};
 * the dump's expiry, and its GuC log and register parts.
 */
package accelmm.debug;
