package accelmm.scenario;

import accelmm.debug.XeEudebug;

/**
 * The debugger statements: {@code debug_attach} connects through the eudebug interface of the
 * scenario's GPU. The statement names no device, so a scenario that attaches has exactly one
 * {@code kind=gpu} device ({@link ModelCoverage} refuses any other at load time).
 */
final class DebugStatements {

    private final World world;
    /** The GPU's debugger, or null when the scenario has no single GPU (then nothing attaches). */
    private final XeEudebug eudebug;

    DebugStatements(World world) {
        this.world = world;
        var gpus = world.scenario.devices().stream().filter(d -> d.kind() == Device.Kind.GPU).toList();
        this.eudebug = gpus.size() == 1 ? new XeEudebug(world.kernel, gpus.get(0).name()) : null;
    }

    /**
     * {@code DBG = debug_attach PROC} on behalf of {@code self}: the connection's fd. The target
     * is looked up by its pid as the statement runs: a process forked later is waited for; one
     * that has been reaped ({@link ProcessState#reaped}) is gone, so the lookup fails with ENOENT;
     * a zombie still resolves, and the connect goes on (xe_eudebug_attach pins the task, not its
     * address space).
     */
    long attach(ProcessState self, String target) {
        if (eudebug == null) {
            throw new IllegalStateException("debug_attach ran without a single gpu device; the load checks refuse that");
        }
        world.changes.await(() -> "process " + target + " to exist", () -> world.process(target) != null);
        ProcessState t = world.process(target);
        if (t.isKernel()) {
            throw new IllegalStateException("debug_attach of the kernel; the load checks refuse it as an unknown process");
        }
        return eudebug.connect(self.task, self.caps.contains(ProcessDecl.Capability.SYS_PTRACE),
                t.reaped() ? null : t.task);
    }
}
