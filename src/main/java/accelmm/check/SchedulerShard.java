package accelmm.check;

import java.util.OptionalInt;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The {@link Shard} that a batch scheduler gives one task of an array job, read from the
 * environment it sets ({@code accelmm check --shard auto}), so that one script serves every task.
 *
 * <ul>
 * <li>A task of a Slurm job array has {@code SLURM_ARRAY_TASK_ID}, its index in the array, and
 *     (since Slurm 15.08, all four from the controller) {@code SLURM_ARRAY_TASK_COUNT}, the number
 *     of tasks, {@code SLURM_ARRAY_TASK_MIN} and {@code SLURM_ARRAY_TASK_MAX}, the lowest and
 *     highest index, and {@code SLURM_ARRAY_TASK_STEP}, the step of {@code --array=A-B:S} (1
 *     without one): sbatch(1), OUTPUT ENVIRONMENT VARIABLES. An array need not start at 0 or 1
 *     ({@code --array=5-8}), so task {@code ID} is shard {@code ID - MIN + 1} of {@code COUNT}.
 *     An array whose indexes have gaps, by a step ({@code --array=0-15:4}) or as a list
 *     ({@code --array=1,3,7}: a count below {@code MAX - MIN + 1}), is refused rather than
 *     guessed at.
 * <li>A pod of a Kubernetes Indexed Job has {@code JOB_COMPLETION_INDEX}, from 0 to the Job's
 *     {@code completions} - 1. The count is not in the pod's environment: the caller gives it.
 * </ul>
 *
 * Neither, or both, is refused: a task belongs to one job. Every refusal is an
 * IllegalArgumentException with a one-line message.
 */
public final class SchedulerShard {

    public static final String SLURM_TASK_ID = "SLURM_ARRAY_TASK_ID";
    public static final String SLURM_TASK_COUNT = "SLURM_ARRAY_TASK_COUNT";
    public static final String SLURM_TASK_MIN = "SLURM_ARRAY_TASK_MIN";
    public static final String SLURM_TASK_MAX = "SLURM_ARRAY_TASK_MAX";
    public static final String SLURM_TASK_STEP = "SLURM_ARRAY_TASK_STEP";
    public static final String COMPLETION_INDEX = "JOB_COMPLETION_INDEX";

    private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");

    private SchedulerShard() {
    }

    /**
     * The shard of this task, from {@code environment} (a variable's value, or null when it is not
     * set). {@code count}: the number of shards given on the command line ({@code --shard-count}):
     * needed for an Indexed Job, and where given for a Slurm array, it must be the array's.
     */
    public static Shard read(Function<String, String> environment, OptionalInt count) {
        String slurm = environment.apply(SLURM_TASK_ID);
        String indexed = environment.apply(COMPLETION_INDEX);
        if (slurm != null && indexed != null) {
            throw new IllegalArgumentException("both " + SLURM_TASK_ID + " (a Slurm job array) and " + COMPLETION_INDEX
                    + " (a Kubernetes Indexed Job) are set, and a task belongs to one job only;"
                    + " unset the one that does not belong, or give --shard I/N");
        }
        if (slurm != null) {
            return slurm(environment, count);
        }
        if (indexed != null) {
            return indexedJob(number(COMPLETION_INDEX, indexed), count);
        }
        throw new IllegalArgumentException("neither " + SLURM_TASK_ID + " (a Slurm job array) nor " + COMPLETION_INDEX
                + " (a Kubernetes Indexed Job) is set; run it as a task of one, or give --shard I/N");
    }

    private static Shard slurm(Function<String, String> environment, OptionalInt given) {
        int id = number(SLURM_TASK_ID, environment.apply(SLURM_TASK_ID));
        String countText = environment.apply(SLURM_TASK_COUNT);
        if (countText == null) {
            throw new IllegalArgumentException(SLURM_TASK_ID + " is set but " + SLURM_TASK_COUNT
                    + " is not (Slurm sets both since 15.08); give --shard I/N");
        }
        int count = number(SLURM_TASK_COUNT, countText);
        OptionalInt step = optional(environment, SLURM_TASK_STEP);
        if (step.isPresent() && step.getAsInt() != 1) {
            throw new IllegalArgumentException(SLURM_TASK_STEP + " is " + step.getAsInt() + ": the array's indexes"
                    + " have gaps (--array=0-15:4), so which shard a task is would be a guess; submit --array=1-" + count);
        }
        OptionalInt min = optional(environment, SLURM_TASK_MIN);
        OptionalInt max = optional(environment, SLURM_TASK_MAX);
        if (min.isPresent() && max.isPresent() && count != (long) max.getAsInt() - min.getAsInt() + 1) {
            throw new IllegalArgumentException(SLURM_TASK_COUNT + " is " + count + " but the indexes run from "
                    + SLURM_TASK_MIN + " " + min.getAsInt() + " to " + SLURM_TASK_MAX + " " + max.getAsInt()
                    + ": the array's indexes have gaps (--array=1,3,7), so which shard a task is would be a guess;"
                    + " submit --array=1-" + count);
        }
        if (given.isPresent() && given.getAsInt() != count) {
            throw new IllegalArgumentException("--shard-count " + given.getAsInt() + " but the Slurm array has "
                    + count + " tasks (" + SLURM_TASK_COUNT + ")");
        }
        int first = min.orElse(1);
        long index = (long) id - first + 1;
        if (index < 1 || index > count) {
            throw new IllegalArgumentException(SLURM_TASK_ID + " " + id + " is not one of the array's " + count
                    + " indexes from " + first + (min.isPresent() ? " (" + SLURM_TASK_MIN + ")" : " (" + SLURM_TASK_MIN
                    + " is not set, so the array must start at 1)"));
        }
        return new Shard((int) index, count);
    }

    private static Shard indexedJob(int completionIndex, OptionalInt given) {
        if (given.isEmpty()) {
            throw new IllegalArgumentException(COMPLETION_INDEX + " is set (a Kubernetes Indexed Job), but the number"
                    + " of shards is not in a pod's environment; give --shard-count N, N the Job's completions");
        }
        int count = given.getAsInt();
        if (completionIndex >= count) {
            throw new IllegalArgumentException(COMPLETION_INDEX + " " + completionIndex + " is past the last of"
                    + " --shard-count " + count + " shards (indexes 0 to " + (count - 1)
                    + "); give the Job's completions as --shard-count");
        }
        return new Shard(completionIndex + 1, count);
    }

    /** The value of a variable that must be set here. */
    private static int number(String name, String value) {
        if (!NUMBER.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " is '" + value + "', not a number of at most 9 digits");
        }
        return Integer.parseInt(value);
    }

    /** The value of a variable that may be unset. */
    private static OptionalInt optional(Function<String, String> environment, String name) {
        String value = environment.apply(name);
        return value == null ? OptionalInt.empty() : OptionalInt.of(number(name, value));
    }
}
