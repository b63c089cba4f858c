/**
 * accelmm's cluster support: searches that outgrow one machine, on Hazelcast.
 *
 * <p>{@link accelmm.cluster.HazelcastCluster} starts an embedded member of a named cluster (TCP/IP
 * member list only; multicast, auto-detection and the phone-home call off). {@code accelmm worker}
 * is such a member that runs tasks until stopped; {@code check --cluster} joins as one, puts each
 * scenario's text in the cluster's map by fingerprint, and gives the DFS a {@code DistributedTasks}
 * as its {@link accelmm.check.RemoteTasks}: each task, with the model's description, goes to the
 * member with the fewest tasks in flight per core ({@code RunTask}, which builds the model there
 * once); the tasks it hands over come back on a topic as it makes them ({@code FoundMessage}),
 * its outcome through the executor. A task whose member went away runs on another: a task is a
 * pure function of its bytes, and the search takes each result once, in its own order, so the
 * result is the one a single thread gives.
 *
 * <p>The module is a project of its own so that the core jar and {@code bin/accelmm demo} carry no
 * Hazelcast; it depends on the core only through public types.
 */
package accelmm.cluster;
