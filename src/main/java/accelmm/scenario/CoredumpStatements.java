package accelmm.scenario;

import accelmm.debug.CoredumpDesign;
import accelmm.debug.DevCoredump;
import accelmm.drm.DrmDevice;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The device coredump statements: {@code devcoredump DEVICE}, a job timeout on a GPU device
 * ({@link DevCoredump#jobTimedOut}). One {@link DevCoredump} per GPU device, made at its first
 * use, under the run's {@code coredump} design.
 */
final class CoredumpStatements {

    private final World world;
    private final Map<String, DevCoredump> dumps = new LinkedHashMap<>();

    CoredumpStatements(World world) {
        this.world = world;
    }

    /** {@code devcoredump DEVICE}: always ok; whether a dump was taken shows in what it reads. */
    ThreadInterpreter.Result devcoredump(Statement.Call c, DrmDevice gpu) {
        dumps.computeIfAbsent(c.word("device"), name -> new DevCoredump(gpu,
                world.kernel.designs().get(CoredumpDesign.class))).jobTimedOut();
        return ThreadInterpreter.Result.of(0);
    }
}
