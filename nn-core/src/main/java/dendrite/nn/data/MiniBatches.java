package dendrite.nn.data;

import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The order in which a training loop visits samples: a fresh seeded permutation per epoch, cut
 * into mini-batches of {@code batchSize} (the last one smaller when the size does not divide).
 *
 * <p>The permutation of epoch {@code e} depends only on the seed and {@code e}, so resuming
 * from a checkpoint at epoch 7 sees exactly the batches an uninterrupted run would have seen.
 *
 * <pre>{@code
 * MiniBatches batches = new MiniBatches(train.size(), 128, seed);
 * float[] x = new float[128 * train.sampleSize()];
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     int[] order = batches.permutation(epoch);
 *     for (int b = 0; b < batches.batchCount(); b++) {
 *         int from = batches.from(b), to = batches.to(b);
 *         train.copyFeatures(order, from, to, x);   // rows 0 .. to-from of x
 *         ...
 *     }
 * }
 * }</pre>
 */
public final class MiniBatches {
    private final int size;
    private final int batchSize;
    private final long seed;

    /**
     * Batches of {@code batchSize} over {@code size} samples, shuffled from {@code seed}.
     *
     * @param size the number of samples per epoch, {@code >= 0}
     * @param batchSize the number of samples per batch, at least 1 (the last batch may have fewer)
     * @param seed the seed from which each epoch's permutation is derived
     * @throws IllegalArgumentException if {@code size} is negative or {@code batchSize} below 1
     */
    public MiniBatches(int size, int batchSize, long seed) {
        if (size < 0) {
            throw new IllegalArgumentException("mini-batches: sample count " + size + " is negative");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("mini-batches: batch size must be positive, got " + batchSize);
        }
        this.size = size;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /**
     * Number of samples covered per epoch.
     *
     * @return the sample count given to the constructor
     */
    public int size() {
        return size;
    }

    /**
     * The number of samples in a full batch.
     *
     * @return the batch size given to the constructor
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Batches per epoch: ceil(size / batchSize).
     *
     * @return the number of batches, 0 when there are no samples
     */
    public int batchCount() {
        return size / batchSize + (size % batchSize == 0 ? 0 : 1);   // size + batchSize - 1 can pass an int
    }

    /**
     * Start (inclusive) of batch {@code b} in the permutation.
     *
     * @param b the batch index, in [0, batchCount())
     * @return the position of the batch's first sample in {@link #permutation}, {@code b * batchSize()}
     * @throws IndexOutOfBoundsException if {@code b} is out of range
     */
    public int from(int b) {
        checkBatch(b);
        return b * batchSize;
    }

    /**
     * End (exclusive) of batch {@code b} in the permutation.
     *
     * @param b the batch index, in [0, batchCount())
     * @return one past the position of the batch's last sample, at most {@link #size()}
     * @throws IndexOutOfBoundsException if {@code b} is out of range
     */
    public int to(int b) {
        checkBatch(b);
        return (int) Math.min(size, (b + 1L) * batchSize);
    }

    private void checkBatch(int b) {
        if (b < 0 || b >= batchCount()) {
            throw new IndexOutOfBoundsException("mini-batch " + b + " of " + batchCount());
        }
    }

    /**
     * The sample order of epoch {@code epoch}: a permutation of 0..size-1, the same every time it is asked.
     *
     * @param epoch the 0-based epoch; any value, each giving its own permutation
     * @return a new array of {@link #size()} sample indices
     */
    public int[] permutation(int epoch) {
        return shuffle(size, new SplittableRandom(mix(seed, epoch)));
    }

    /**
     * The sample indices of each batch of an epoch, one array per batch (allocates; fine outside hot loops).
     *
     * @param epoch the 0-based epoch, as for {@link #permutation}
     * @return an iterable of {@link #batchCount()} new arrays in batch order; each iteration starts over
     */
    public Iterable<int[]> epoch(int epoch) {
        return () -> new java.util.Iterator<>() {
            private final int[] order = permutation(epoch);
            private int b;

            @Override
            public boolean hasNext() {
                return b < batchCount();
            }

            @Override
            public int[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int[] batch = java.util.Arrays.copyOfRange(order, from(b), to(b));
                b++;
                return batch;
            }
        };
    }

    /** A uniform random permutation of 0..n-1 (Fisher–Yates). */
    static int[] shuffle(int n, SplittableRandom rnd) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * Seeds for neighbouring epochs must give unrelated streams: SplittableRandom(seed + e) would
     * only shift one stream by e values, so the pair is mixed first (MurmurHash3's finaliser).
     */
    static long mix(long seed, long salt) {
        long z = seed ^ (salt * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
