package accelmm.drm;

import accelmm.dmabuf.DmaBuf;
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

    HeldBy(List<DrmFile> files, List<GemObject> objects, List<ExecQueue> queues) {
        this.files = files;
        this.objects = objects;
        this.queues = queues;
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
