package accelmm.scenario;

import accelmm.debug.CoredumpDesign;
import accelmm.debug.DevCoredump;
import accelmm.drm.DrmDevice;
import accelmm.drm.VmSnapshot;
import accelmm.mm.Errno;
import accelmm.sim.Shared;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The device coredump statements: {@code devcoredump DEVICE}, a job timeout on a GPU device
 * ({@link DevCoredump#jobTimedOut}), and {@code D = devcoredump_read DEVICE}, root reading the
 * dump ({@link DevCoredump#read}), and {@code devcoredump_delete DEVICE}, root writing to the
 * dump's {@code data} file ({@link DevCoredump#delete}). One {@link DevCoredump} per GPU device, made at its first
 * use, under the run's {@code coredump} design.
 */
final class CoredumpStatements {

    private final World world;
    private final Map<String, DevCoredump> dumps = new LinkedHashMap<>();
    /** {@link #dumps}: the first statement on a device, by whichever thread, makes its dump. */
    private final Shared shared;

    CoredumpStatements(World world) {
        this.world = world;
        this.shared = world.sim.shared("devcoredump registry");
    }

    /** {@code devcoredump DEVICE}: always ok; whether a dump was taken shows in what a read returns. */
    ThreadInterpreter.Result devcoredump(Statement.Call c, DrmDevice gpu) {
        dump(c, gpu).jobTimedOut();
        return ThreadInterpreter.Result.of(0);
    }

    /**
     * {@code D = devcoredump_read DEVICE}: reads the device's dump as root, waiting for its
     * worker first. The bytes are the VM part's data: each dumped mapping's contents in address
     * order, a mapping with an error contributing none (a VM with no dumpable mapping dumps no
     * bytes). ENOENT when the device has no dump (none taken, as the devcd node does not exist).
     * Reading does not delete the dump.
     */
    ThreadInterpreter.Result read(Statement.Call c, DrmDevice gpu) {
        VmSnapshot snapshot = dump(c, gpu).read();
        if (snapshot == null) {
            return new ThreadInterpreter.Result(Errno.ENOENT.neg(), new Bound.Bytes(new byte[0]));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (VmSnapshot.Entry e : snapshot.entries()) {
            if (e.data() != null) {
                out.writeBytes(e.data());
            }
        }
        return new ThreadInterpreter.Result(0, new Bound.Bytes(out.toByteArray()));
    }

    /**
     * {@code devcoredump_delete DEVICE}: root writes to the dump's {@code data} file ({@code
     * devcd_data_write}), which frees the dump at once, so the device's next hang dumps again
     * (DCD-02, DCD-03). ENOENT when the device has no dump.
     */
    ThreadInterpreter.Result delete(Statement.Call c, DrmDevice gpu) {
        DevCoredump dump = dump(c, gpu);
        if (!dump.captured()) {
            return ThreadInterpreter.Result.of(Errno.ENOENT.neg());
        }
        dump.delete();
        return ThreadInterpreter.Result.of(0);
    }

    private DevCoredump dump(Statement.Call c, DrmDevice gpu) {
        DevCoredump dump = dumps.get(c.word("device"));
        if (dump != null) {
            shared.read();
            return dump;
        }
        shared.write();
        dump = new DevCoredump(gpu, world.kernel.designs().get(CoredumpDesign.class));
        dumps.put(c.word("device"), dump);
        return dump;
    }
}
