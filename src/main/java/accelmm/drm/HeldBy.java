package accelmm.drm;

import accelmm.dmabuf.DmaBuf;
import accelmm.mm.PageFrame;
import accelmm.sim.ObjectGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * What holds each live object of a device, for leak reports and the object graph: one line per
 * object naming every reference on it, so that a cycle reads as two lines that point at each
 * other, and the same references as the graph's edges (one walk gives both):
 *
 * <pre>
 *   gem object 1 (16K) held by vm 1 mapping va 0x200000
 *   vm 1 held by gem object 1 back-reference
 * </pre>
 *
 * References are found by walking the device's registries, not recorded as they are taken:
 * handles and IDs in the files' tables, mappings in each object's {@link VmBo} list, exec
 * queues' VMs, CPU mappings counted by the object, the dma-buf it is exported as. Whatever part of a refcount none of these
 * explains (a lookup in progress, or a reference the model forgot to drop) is reported as
 * such.
 */
final class HeldBy {

    private final List<DrmFile> files;
    private final List<GemObject> objects;
    private final List<ExecQueue> queues;
    private final List<GpuVm> vms;
    /** Whether a VM mapping names the frames its PTEs point at ({@code replay --show}); leak lines do not. */
    private final boolean withFrames;

    HeldBy(List<DrmFile> files, List<GemObject> objects, List<ExecQueue> queues, List<GpuVm> vms,
            boolean withFrames) {
        this.files = files;
        this.objects = objects;
        this.queues = queues;
        this.vms = vms;
        this.withFrames = withFrames;
    }

    /**
     * One reference on an object: its {@code holder} (null for CPU mappings, which the object
     * only counts), how a leak line names it ({@code phrase}) and how the graph labels it ({@code
     * via}).
     */
    private record Ref(Object holder, String phrase, String via) {
    }

    /** The references on {@code o}: handles, VM mappings, CPU mappings, dma-bufs it is exported as. */
    private List<Ref> refsOn(GemObject o) {
        List<Ref> refs = new ArrayList<>();
        for (DrmFile f : files) {
            f.handlesOf(o).forEach(h -> refs.add(new Ref(f, "handle " + h + " of " + f, "handle " + h)));
        }
        for (VmBo vmBo : o.vmBos()) {
            List<String> starts = vmBo.mappingStarts().stream().map(va -> "va " + Fmt.hex(va)).toList();
            String via = "mapping " + String.join(" and ", starts);
            String phrase = withFrames ? mappingFrames(vmBo) : via;
            refs.add(new Ref(vmBo.vm(), vmBo.vm().label() + " " + phrase, via));
        }
        if (o.cpuMappingCount() > 0) {
            refs.add(new Ref(null, plural(o.cpuMappingCount(), "CPU mapping"), null));
        }
        PrimeExport.holding(o).forEach(b -> refs.add(new Ref(b, b.label(), "exported")));
        return refs;
    }

    /** {@code mapping va 0x200000 -> pfn 5..8@gpu0 vram}: each mapping with the frames its PTEs point at. */
    private static String mappingFrames(VmBo vmBo) {
        List<String> each = vmBo.mappings().stream()
                .map(va -> "va " + Fmt.hex(va.addr()) + " -> " + vmBo.vm().pteFrames(va.addr(), va.end())).toList();
        return "mapping " + String.join(" and ", each);
    }

    /** The references on {@code vm}: VM IDs, exec queues, objects' back-references. */
    private List<Ref> refsOn(GpuVm vm) {
        List<Ref> refs = new ArrayList<>();
        for (DrmFile f : files) {
            f.vmIdsOf(vm).forEach(id -> refs.add(new Ref(f, "vm id " + id + " of " + f, "vm id " + id)));
        }
        for (ExecQueue q : queues) {
            if (q.vm() == vm) {
                refs.add(new Ref(q, q.label(), "vm"));
            }
        }
        for (GemObject o : objects) {
            for (VmBo vmBo : o.vmBos()) {
                if (vmBo.vm() == vm && vmBo.countedBackReference()) {
                    refs.add(new Ref(o, "gem object " + o.id() + " back-reference", "back-reference"));
                }
            }
        }
        return refs;
    }

    /** The references on {@code q}: its IDs in the files' tables. */
    private List<Ref> refsOn(ExecQueue q) {
        List<Ref> refs = new ArrayList<>();
        for (DrmFile f : files) {
            f.queueIdsOf(q).forEach(id -> refs.add(new Ref(f, "queue id " + id + " of " + f, "queue id " + id)));
        }
        return refs;
    }

    /** {@code gem object 1 (16K) held by handle 1 of gpu0 file 1 and vm 1 mapping va 0x200000}. */
    String gem(GemObject o) {
        List<Ref> refs = refsOn(o);
        int exports = (int) refs.stream().filter(r -> r.holder() instanceof DmaBuf).count();
        int explained = o.handleCount() + o.vmBos().size() + o.cpuMappingCount() + exports;
        return line(o.label(), refs, o.refCount() - explained);
    }

    /** {@code vm 1 held by gem object 1 back-reference}. */
    String vm(GpuVm vm) {
        List<Ref> refs = refsOn(vm);
        String label = vm.label() + (vm.isClosed() ? " (closed)" : "");
        return line(label, refs, vm.refCount() - refs.size());
    }

    /** {@code exec queue 1 held by queue id 1 of gpu0 file 1}. */
    String queue(ExecQueue q) {
        List<Ref> refs = refsOn(q);
        return line(q.label(), refs, refs.isEmpty() ? 1 : 0);
    }

    /**
     * The same references as data, added to {@code graph} under {@code device}'s name (CPU
     * mappings are the mms' own edges to the file), with what only the graph shows: each VM's
     * GPU page-table entries and userptr ranges, each object's import (its dma-buf reference and
     * attachment) and the frames behind its pages, the frames a userptr range pinned.
     */
    void addTo(ObjectGraph graph, String device, List<Userptr> userptrs) {
        for (DrmFile f : files) {
            graph.node(f, "drm file", f.toString(), "");
        }
        for (GpuVm vm : vms) {
            graph.node(vm, "vm", device + " " + vm.label(), "refcount " + vm.refCount() + ", open count "
                    + vm.openCount() + (vm.isClosed() ? ", closed" : ""));
            edges(graph, vm, refsOn(vm));
        }
        for (ExecQueue q : queues) {
            graph.node(q, "exec queue", device + " " + q.label(), "");
            edges(graph, q, refsOn(q));
        }
        for (GemObject o : objects) {
            graph.node(o, "gem", device + " " + o.label(), "refcount " + o.refCount()
                    + (o.isPinned() ? ", pinned" : "") + (o.isFreed() ? ", freed" : ""));
            edges(graph, o, refsOn(o));
            if (o.imported() != null) {
                graph.edge(o, o.imported().buf(), "get_dma_buf");
                if (o.imported().attachment() != null) {
                    graph.edge(o, o.imported().attachment(), "import_attach");
                }
            }
            for (PageFrame page : o.ownPages()) {
                if (page != null) {
                    page.addTo(graph, o, "page", -1);
                }
            }
        }
        for (Userptr u : userptrs) {
            graph.node(u, "userptr", device + " " + u.describe(), "");
            graph.edge(u.vm(), u, "userptr");
            for (PageFrame page : u.pinnedPages()) {
                if (page != null) {
                    page.addTo(graph, u, "pin", -1);
                }
            }
        }
        for (GpuVm vm : vms) {
            vm.ptes().forEach((va, pte) -> pte.ref().addTo(graph, vm, "gpu pte", va));
        }
    }

    private static void edges(ObjectGraph graph, Object held, List<Ref> refs) {
        for (Ref r : refs) {
            if (r.holder() != null) {
                graph.edge(r.holder(), held, r.via());
            }
        }
    }

    private static String line(String label, List<Ref> refs, int unexplained) {
        List<String> all = new ArrayList<>(refs.stream().map(Ref::phrase).toList());
        if (unexplained > 0) {
            all.add(plural(unexplained, "other reference"));
        }
        return label + " held by " + (all.isEmpty() ? "nothing" : String.join(" and ", all));
    }

    private static String plural(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
