package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;

/**
 * Which keys each query of {@link MultiheadAttention} may attend to, as the additive mask its scores
 * get before the softmax, and which queries may attend to none.
 *
 * <p>A key is hidden from a query when it lies in the query's future (with {@code causal}) or is a
 * padding step (with {@code maskZero}: a step whose input is all zeros, as an {@link Embedding} with a
 * padding index gives). A hidden score gets {@link #HIDDEN} added: the softmax's exponential of it
 * underflows to exactly 0, as PyTorch's {@code -inf} does, while the row's sum stays finite. A query
 * that can see no key at all (a sample that is all padding, or a causal query before the first real
 * step) has a row of hidden scores; PyTorch's {@code -inf} gives it NaN. Here its weights are defined
 * as zeros instead, by multiplying the probabilities by {@link #rowKeep}: its attention output is 0,
 * and no gradient flows through it.
 *
 * <p>The padding is read on the host, once per forward pass (one read of the input); the mask is
 * written to the device only when it changes: a causal mask without padding once per batch size.
 */
final class AttentionMask {
    /** Added to a hidden score: far below any real score, yet finite when a whole row is hidden. */
    static final float HIDDEN = -1e30f;

    private final int heads;
    private final int steps;
    private final int features;
    private final boolean causal;
    private final boolean maskZero;
    private float[] input = new float[0];
    private boolean[] padding = new boolean[0];
    private float[] additive = new float[0];
    private float[] keep = new float[0];
    /** The batch size and the padding the device mask was last written for (-1: never). */
    private int writtenBatch = -1;
    private boolean writtenWithPadding;
    private boolean active;
    private boolean anyRowHidden;

    AttentionMask(int heads, int steps, int features, boolean causal, boolean maskZero) {
        this.heads = heads;
        this.steps = steps;
        this.features = features;
        this.causal = causal;
        this.maskZero = maskZero;
    }

    /**
     * Finds the padding of {@code x [B, S, features]} (with {@code maskZero}) and brings {@code mask
     * [B, H * S, S]} and {@code rowKeep [B, H * S, 1]} up to date for it.
     */
    void update(Backend be, Tensor x, int batch, Tensor mask, Tensor rowKeep) {
        boolean padded = maskZero && findPadding(be, x, batch);
        active = causal || padded;
        if (!active) {
            anyRowHidden = false;
            return;
        }
        if (!padded && writtenBatch == batch && !writtenWithPadding) {
            return;                                  // the causal mask of this batch size is there already
        }
        int rows = batch * heads * steps;
        if (additive.length < rows * steps) {
            additive = new float[rows * steps];
            keep = new float[rows];
        }
        anyRowHidden = false;
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < steps; i++) {
                int row = (b * heads) * steps + i;    // head 0's row; the other heads repeat it
                boolean any = false;
                for (int j = 0; j < steps; j++) {
                    boolean hidden = (causal && j > i) || (padded && padding[b * steps + j]);
                    additive[row * steps + j] = hidden ? HIDDEN : 0f;
                    any |= !hidden;
                }
                keep[row] = any ? 1f : 0f;
                anyRowHidden |= !any;
                for (int h = 1; h < heads; h++) {
                    int other = row + h * steps;
                    System.arraycopy(additive, row * steps, additive, other * steps, steps);
                    keep[other] = keep[row];
                }
            }
        }
        be.write(mask, additive, 0);
        if (anyRowHidden) {
            be.write(rowKeep, keep, 0);
        }
        writtenBatch = batch;
        writtenWithPadding = padded;
    }

    /** Which steps of each sample are all zeros; whether any is. Reads x to the host. */
    private boolean findPadding(Backend be, Tensor x, int batch) {
        int n = batch * steps * features;
        if (input.length < n) {
            input = new float[n];
            padding = new boolean[batch * steps];
        }
        be.read(x, input, 0);
        boolean any = false;
        for (int r = 0; r < batch * steps; r++) {
            int from = r * features;
            boolean zero = true;
            for (int j = 0; j < features && zero; j++) {
                zero = input[from + j] == 0f;
            }
            padding[r] = zero;
            any |= zero;
        }
        return any;
    }

    /** Whether the last update's scores need the mask added (causal, or padding in the batch). */
    boolean active() {
        return active;
    }

    /** Whether some query of the last update sees no key, so its probabilities must be zeroed. */
    boolean anyRowHidden() {
        return anyRowHidden;
    }
}
