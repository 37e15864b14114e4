package dendrite.spark;

import java.util.SplittableRandom;

/**
 * How the tasks share each global batch: rank r takes {@link #localBatch} samples of its own shard
 * per step, in an order drawn from the seed, the epoch and the rank only, so that a rerun (or a
 * retried stage) sees the same batches. Every task runs the same number of steps, or the ring would
 * wait for a task that has finished: the epoch ends when the shard with the fewest whole local
 * batches runs out, and the others leave their last samples for the next epoch's order.
 */
final class ShardPlan {
    private ShardPlan() {
    }

    /** Rank {@code rank}'s part of a global batch: the batch split as evenly as it goes, the first ranks one more. */
    static int localBatch(int globalBatch, int tasks, int rank) {
        return globalBatch / tasks + (rank < globalBatch % tasks ? 1 : 0);
    }

    /**
     * Steps per epoch, the same for every task.
     *
     * @throws IllegalArgumentException naming a task whose shard cannot fill one local batch
     */
    static int stepsPerEpoch(int[] shardSizes, int globalBatch) {
        int tasks = shardSizes.length;
        if (globalBatch < tasks) {
            throw new IllegalArgumentException("spark trainer: a global batch of " + globalBatch + " cannot be shared by "
                    + tasks + " tasks; give a batch of at least " + tasks + " or fewer tasks");
        }
        int steps = Integer.MAX_VALUE;
        for (int r = 0; r < tasks; r++) {
            int b = localBatch(globalBatch, tasks, r);
            if (shardSizes[r] < b) {
                throw new IllegalArgumentException("spark trainer: task " + r + " holds " + shardSizes[r]
                        + " samples, fewer than its " + b + " of each global batch of " + globalBatch
                        + "; repartition the data evenly or use fewer tasks");
            }
            steps = Math.min(steps, shardSizes[r] / b);
        }
        return steps;
    }

    /** The order in which rank {@code rank} visits its {@code n} samples in {@code epoch}: a seeded shuffle. */
    static int[] order(long seed, int epoch, int rank, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 1_000_003L + rank);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
