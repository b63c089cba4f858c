package accelmm.drm;

import accelmm.dmabuf.DmaBuf;
import accelmm.mm.PageFrame;
import accelmm.sim.ObjectGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * What holds each live object of a device, for leak reports: one line per object naming every
 * reference on it, so that a cycle reads as two lines that point at each other:
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

    HeldBy(List<DrmFile> files, List<GemObject> objects, List<ExecQueue> queues, List<GpuVm> vms) {
        this.files = files;
        this.objects = objects;
        this.queues = queues;
        this.vms = vms;
    }

    /** {@code gem object 1 (16K) held by handle 1 of gpu0 file 1 and vm 1 mapping va 0x200000}. */
    String gem(GemObject o) {
        List<String> holders = new ArrayList<>();
        for (DrmFile f : files) {
            f.handlesOf(o).forEach(h -> holders.add("handle " + h + " of " + f));
        }
        for (VmBo vmBo : o.vmBos()) {
            List<String> starts = vmBo.mappingStarts().stream().map(va -> "va " + Fmt.hex(va)).toList();
            holders.add(vmBo.vm().label() + " mapping " + String.join(" and ", starts));
        }
        if (o.cpuMappingCount() > 0) {
            holders.add(plural(o.cpuMappingCount(), "CPU mapping"));
        }
        List<DmaBuf> exports = PrimeExport.holding(o);
        exports.forEach(b -> holders.add(b.label()));
        int explained = o.handleCount() + o.vmBos().size() + o.cpuMappingCount() + exports.size();
        return line(o.label(), holders, o.refCount() - explained);
    }

    /** {@code vm 1 held by gem object 1 back-reference}. */
    String vm(GpuVm vm) {
        List<String> holders = new ArrayList<>();
        int explained = 0;
        for (DrmFile f : files) {
            for (int id : f.vmIdsOf(vm)) {
                holders.add("vm id " + id + " of " + f);
                explained++;
            }
        }
        for (ExecQueue q : queues) {
            if (q.vm() == vm) {
                holders.add(q.label());
                explained++;
            }
        }
        for (GemObject o : objects) {
            for (VmBo vmBo : o.vmBos()) {
                if (vmBo.vm() == vm && vmBo.countedBackReference()) {
                    holders.add("gem object " + o.id() + " back-reference");
                    explained++;
                }
            }
        }
        String label = vm.label() + (vm.isClosed() ? " (closed)" : "");
        return line(label, holders, vm.refCount() - explained);
    }

    /**
     * The same references as data, added to {@code graph} under {@code device}'s name: each
     * file's handles, VM IDs and queue IDs; each VM's mappings of objects, its GPU page-table
     * entries and its userptr ranges; each object's back-references, its exports, its import
     * attachment and the frames behind its pages; the frames a userptr range pinned.
     */
    void addTo(ObjectGraph graph, String device, List<Userptr> userptrs) {
        for (DrmFile f : files) {
            graph.node(f, "drm file", f.toString(), "");
        }
        for (GpuVm vm : vms) {
            graph.node(vm, "vm", device + " " + vm.label(), "refcount " + vm.refCount() + ", open count "
                    + vm.openCount() + (vm.isClosed() ? ", closed" : ""));
            for (DrmFile f : files) {
                f.vmIdsOf(vm).forEach(id -> graph.edge(f, vm, "vm id " + id));
            }
        }
        for (ExecQueue q : queues) {
            graph.node(q, "exec queue", device + " " + q.label(), "");
            for (DrmFile f : files) {
                f.queueIdsOf(q).forEach(id -> graph.edge(f, q, "queue id " + id));
            }
            graph.edge(q, q.vm(), "vm");
        }
        for (GemObject o : objects) {
            graph.node(o, "gem", device + " " + o.label(), "refcount " + o.refCount()
                    + (o.isPinned() ? ", pinned" : "") + (o.isFreed() ? ", freed" : ""));
            for (DrmFile f : files) {
                f.handlesOf(o).forEach(h -> graph.edge(f, o, "handle " + h));
            }
            for (VmBo vmBo : o.vmBos()) {
                vmBo.mappingStarts().forEach(va -> graph.edge(vmBo.vm(), o, "mapping va " + Fmt.hex(va)));
                if (vmBo.countedBackReference()) {
                    graph.edge(o, vmBo.vm(), "back-reference");
                }
            }
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

    /** {@code exec queue 1 held by queue id 1 of gpu0 file 1}. */
    String queue(ExecQueue q) {
        List<String> holders = new ArrayList<>();
        for (DrmFile f : files) {
            f.queueIdsOf(q).forEach(id -> holders.add("queue id " + id + " of " + f));
        }
        return line(q.label(), holders, holders.isEmpty() ? 1 : 0);
    }

    private static String line(String label, List<String> holders, int unexplained) {
        List<String> all = new ArrayList<>(holders);
        if (unexplained > 0) {
            all.add(plural(unexplained, "other reference"));
        }
        return label + " held by " + (all.isEmpty() ? "nothing" : String.join(" and ", all));
    }

    private static String plural(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
