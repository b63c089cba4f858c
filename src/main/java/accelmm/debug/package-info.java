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
 * <p>Not modelled yet: the event stream and discovery (EUD-04..07), VM open and read/write of a
 * GPU VA through the object or a userptr range (EUD-08..12), the E2 connect by DRM client fd
 * (EUD-13), EU attention and thread control, and the ptrace alternative (PTR-01..04).
 */
package accelmm.debug;
