package accelmm.cluster;

import java.io.Serializable;

/**
 * A group of tasks that a task running on a member handed over or asked for: event {@code seq}
 * of the call {@code call} ({@link accelmm.check.RemoteTasks.Found}), sent back as it happens.
 */
record FoundMessage(String call, int seq, byte[] event) implements Serializable {
}
