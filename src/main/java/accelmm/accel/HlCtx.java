package accelmm.accel;

import accelmm.mm.Principal;
import accelmm.sim.Shared;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * Models {@code struct hl_ctx}: the one compute context of an open device file, with its memory
 * hash ({@code ctx->mem_hash}: the device memory it mapped, keyed here by handle, see {@link
 * HlVmHashNode}). It is reference counted ({@code hl_ctx_get}/{@code hl_ctx_put}): the file's
 * {@link HlFpriv} holds one reference, and under {@link DmabufExportDesign#HOLD_FILE} every dma-buf
 * exported from it one more. The last put runs {@code hl_ctx_do_release}: {@code hl_ctx_fini}
 * frees every page pack the context still owns ({@code hl_vm_ctx_fini}), then the context drops
 * its reference on the file's private data.
 */
final class HlCtx {

    private final HlFpriv hpriv;
    /** {@code ctx->mem_hash}, by handle. */
    private final TreeMap<Integer, HlVmHashNode> memHash = new TreeMap<>();
    /** The live dma-bufs exported from this context, oldest first (what a revoke walks). */
    private final List<HlDmabuf> exports = new ArrayList<>(1);
    private int refCount = 1;
    /** The reference count, the memory hash and the list of exports. */
    private final Shared shared;

    HlCtx(HlFpriv hpriv) {
        this.hpriv = hpriv;
        this.shared = hpriv.device().sim().shared("hl ctx");
    }

    HlFpriv hpriv() {
        return hpriv;
    }

    HlDevice device() {
        return hpriv.device();
    }

    /** The process on whose behalf the device acts for this context. */
    Principal owner() {
        return hpriv.owner();
    }

    boolean isReleased() {
        shared.read();
        return refCount == 0;
    }

    /** {@code hl_ctx_get}. */
    void get() {
        shared.write();
        if (refCount <= 0) {
            throw new IllegalStateException("hl_ctx_get on released context of " + hpriv);
        }
        refCount++;
    }

    /** {@code hl_ctx_put}: the last reference releases the context ({@code hl_ctx_do_release}). */
    void put() {
        shared.write();
        if (refCount <= 0) {
            throw new IllegalStateException("hl_ctx_put underflow on context of " + hpriv);
        }
        if (--refCount == 0) {
            fini();
            hpriv.put();
        }
    }

    /**
     * {@code hl_ctx_fini} → {@code hl_vm_ctx_fini}: the context's mappings go and every page pack
     * it owns is freed, whoever still maps the pages (exported ones too: this is teardown). A
     * dma-buf still exported at this point (only under no-hold, which holds nothing of the
     * context) is detached from it and lives on over the freed pages.
     */
    private void fini() {
        shared.write();
        for (HlDmabuf dmabuf : exports()) {
            dmabuf.detachFromCtx();
        }
        for (HlVmHashNode node : memHash.values()) {
            device().freePack(node.pack());
        }
        memHash.clear();
    }

    void mapped(HlVmHashNode node) {
        shared.write();
        memHash.put(node.pack().handle(), node);
    }

    /** The hash node of the memory {@code handle} names, or {@code null}. */
    HlVmHashNode node(long handle) {
        shared.read();
        return handle == (int) handle ? memHash.get((int) handle) : null;
    }

    void unmapped(HlVmHashNode node) {
        shared.write();
        memHash.remove(node.pack().handle());
    }

    Collection<HlVmHashNode> nodes() {
        shared.read();
        return memHash.values();
    }

    void exported(HlDmabuf dmabuf) {
        shared.write();
        exports.add(dmabuf);
    }

    void exportReleased(HlDmabuf dmabuf) {
        shared.write();
        exports.remove(dmabuf);
    }

    /** The live dma-bufs of this context, oldest first. */
    List<HlDmabuf> exports() {
        shared.read();
        return List.copyOf(exports);
    }

    @Override
    public String toString() {
        return "context of " + hpriv;
    }
}
