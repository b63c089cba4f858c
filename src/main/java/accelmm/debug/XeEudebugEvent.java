package accelmm.debug;

/**
 * Models {@code struct xe_eudebug_event} and the event bodies of the uapi
 * ({@code drm_xe_eudebug_event_client}, {@code _vm}, {@code _exec_queue}, {@code _vm_bind},
 * {@code _vm_bind_op}): what a READ_EVENT hands the debugger. Every handle is one of the
 * connection's ({@link XeEudebugResources}), never the debuggee's own ID; the seqno counts the
 * connection's events from 1 in the order they were created (a bind takes its seqno when it
 * starts and is queued when it ends, so another event may come before it with a higher seqno).
 *
 * <p>Left out: the header's {@code len} and {@code reserved}, the exec queue's engine class,
 * width and LRC handles, the bind's UFENCE flag and the VM_BIND_UFENCE event with its ack,
 * METADATA, EU_ATTENTION and PAGEFAULT events.
 */
public sealed interface XeEudebugEvent {

    /** {@code DRM_XE_EUDEBUG_EVENT_*} types the model sends; {@link #word} is the scenario's name. */
    enum Type {
        OPEN, VM, EXEC_QUEUE, VM_BIND, VM_BIND_OP;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The header flag each event carries: {@code DRM_XE_EUDEBUG_EVENT_CREATE}, {@code _DESTROY}, {@code _STATE_CHANGE}. */
    enum Flag {
        CREATE, DESTROY, STATE_CHANGE;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    Type type();

    Flag flags();

    long seqno();

    /** {@code drm_xe_eudebug_event_client}: a drm file of the debuggee opened or closed. */
    record Open(long seqno, Flag flags, long client) implements XeEudebugEvent {
        @Override
        public Type type() {
            return Type.OPEN;
        }
    }

    /** {@code drm_xe_eudebug_event_vm}: a VM of a client created or destroyed. */
    record Vm(long seqno, Flag flags, long client, long vm) implements XeEudebugEvent {
        @Override
        public Type type() {
            return Type.VM;
        }
    }

    /** {@code drm_xe_eudebug_event_exec_queue}: an exec queue on a VM created or destroyed. */
    record ExecQueue(long seqno, Flag flags, long client, long vm, long queue) implements XeEudebugEvent {
        @Override
        public Type type() {
            return Type.EXEC_QUEUE;
        }
    }

    /**
     * {@code drm_xe_eudebug_event_vm_bind}: a bind of {@code numBinds} ops succeeded on a VM;
     * its ops follow. Its header flag is STATE_CHANGE.
     */
    record VmBind(long seqno, long client, long vm, int numBinds) implements XeEudebugEvent {
        @Override
        public Type type() {
            return Type.VM_BIND;
        }

        @Override
        public Flag flags() {
            return Flag.STATE_CHANGE;
        }
    }

    /**
     * {@code drm_xe_eudebug_event_vm_bind_op}: one op of the bind whose seqno is {@code
     * bindSeqno} ({@code vm_bind_ref_seqno}): CREATE for a map, DESTROY for an unmap, of {@code
     * [addr, addr + range)}. The uapi names the VM only through the bind; the model repeats the
     * bind's VM handle here so that a scenario can open the VM from the op.
     */
    record VmBindOp(long seqno, Flag flags, long bindSeqno, long vm, long addr, long range)
            implements XeEudebugEvent {
        @Override
        public Type type() {
            return Type.VM_BIND_OP;
        }
    }
}
