package accelmm.debug;

import accelmm.drm.DrmDevice;
import accelmm.drm.ExecQueue;
import accelmm.drm.VmSnapshot;
import accelmm.mm.Principal;
import accelmm.sim.Shared;
import accelmm.sim.Simulation;
import accelmm.sim.WaitQueue;

/**
 * Models {@code struct xe_devcoredump} of one device ({@code xe_devcoredump.c}) with the generic
 * devcoredump node it registers ({@code drivers/base/devcoredump.c}).
 *
 * <p>Package note: {@code accelmm.debug} holds what reads a process's GPU memory from outside
 * it — the debugger and the device coredump — above {@code drm}, whose VM snapshot
 * ({@link VmSnapshot}) it drives.
 *
 * <p>{@link #jobTimedOut} is the scheduler timeout handler's call ({@code
 * guc_exec_queue_timedout_job} → {@code xe_devcoredump}): it charges the hang to {@link
 * DrmDevice#hungQueue} (no queue with a job: no timeout, nothing happens; DCD-01), and does
 * nothing while an earlier dump is still there ({@code captured}, DCD-02). Otherwise phase 1
 * lists the dumpable mappings of the queue's VM in the caller's thread, and phase 2 is queued to
 * a worker ({@code xe_devcoredump_deferred_snap_work} on {@code system_unbound_wq}): a separate
 * actor that reads the contents whenever it gets to run, so it interleaves with everything the
 * processes do meanwhile (DCD-04, DCD-07). The worker reads on behalf of {@link #ROOT}: the
 * {@code data} file is mode 0600 (DCD-03), so its reader is root.
 *
 * <p>{@link #read} flushes the worker first, as {@code xe_devcoredump_read} does, and returns
 * the VM part; {@link #delete} (a write to {@code data}, DCD-03) frees the dump, after which the
 * next hang dumps again. The 1-hour expiry is not modelled: no run is that long.
 */
public final class DevCoredump {

    /** The reader of a dump file: the model names root as principal {@code root}. */
    public static final Principal ROOT = new Principal("root");

    private final DrmDevice device;
    private final CoredumpDesign design;
    private final WaitQueue captureDone;
    private VmSnapshot snapshot;
    private boolean workerDone;
    /** The snapshot and the worker's done flag: the reader waits for what the worker sets. */
    private final Shared shared;

    public DevCoredump(DrmDevice device, CoredumpDesign design) {
        this.device = device;
        this.design = design;
        this.shared = device.kernel().sim().shared("devcoredump");
        this.captureDone = new WaitQueue(device.kernel().sim(), device.name() + " devcoredump");
    }

    /**
     * {@code xe_devcoredump}: a job of the device timed out. Returns whether a dump was started
     * (false: no queue had a job, or a dump is there already).
     */
    public boolean jobTimedOut() {
        ExecQueue q = device.hungQueue();
        shared.write();
        if (q == null || snapshot != null) {
            return false;
        }
        snapshot = q.vm().snapshotCapture(design.includesUserptr());
        workerDone = false;
        VmSnapshot taken = snapshot;
        Simulation sim = device.kernel().sim();
        sim.spawn(device.name() + " devcoredump worker", () -> {
            sim.preemptionPoint("devcoredump deferred snap");
            taken.captureDelayed(ROOT);
            shared.write();
            workerDone = true;
            captureDone.wakeUpAll();
        });
        return true;
    }

    /** Whether a dump is there (taken and not yet deleted). */
    public boolean captured() {
        shared.read();
        return snapshot != null;
    }

    /**
     * {@code xe_devcoredump_read}: waits for the worker ({@code flush_work}), then the VM part of
     * the dump, or {@code null} when there is no dump (the devcd node does not exist: -ENOENT
     * for whoever opens it).
     */
    public VmSnapshot read() {
        shared.read();
        if (snapshot == null) {
            return null;
        }
        captureDone.waitEvent(this::workerDone);
        return snapshot;
    }

    /**
     * A write to {@code data} ({@code devcd_data_write}): the devcd node is deleted at once and
     * {@code xe_devcoredump_free} frees the dump and clears {@code captured}, so the next hang
     * dumps again (DCD-02, DCD-03). The free waits for the worker ({@code cancel_work_sync}: the
     * worker registers the node, so it has started by the time the file can be written), and
     * the model runs the delete work in the writer's thread rather than on {@code system_wq}.
     */
    public void delete() {
        read();
        shared.write();
        snapshot = null;
    }

    /** Whether the deferred capture has finished (what a read waits for). */
    private boolean workerDone() {
        shared.read();
        return workerDone;
    }
}
