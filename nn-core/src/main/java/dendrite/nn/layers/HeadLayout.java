package dendrite.nn.layers;

/**
 * The row orders {@link MultiheadAttention} moves its activations between, as gathers of rows of one
 * head's width ({@code headDim} values): a batch's projections {@code [B, S, 3, H, d]} (each step's
 * query, key and value of every head side by side, as {@code x W_in^T} gives them) and the head-major
 * {@code [3, B, H, S, d]} the batched products need (each head's queries, keys and values a matrix
 * of its own); the heads' outputs {@code [B, H, S, d]} and the step-major {@code [B, S, H, d]} the
 * output projection reads. Every move is a permutation, so each backward move is the gather by the
 * inverse order: nothing is added, and nothing needs a scatter.
 *
 * <p>The index arrays depend on the batch size alone; they are made again only when it changes.
 */
final class HeadLayout {
    private final int heads;
    private final int steps;
    private int batch = -1;
    /** Row r of the head-major projections is row {@code toHeads[r]} of the step-major ones. */
    private int[] toHeads;
    /** The inverse of {@link #toHeads}. */
    private int[] fromHeads;
    /** Row r of the step-major outputs {@code [B, S, H, d]} is row {@code toSteps[r]} of {@code [B, H, S, d]}. */
    private int[] toSteps;
    /** The inverse of {@link #toSteps}. */
    private int[] fromSteps;

    HeadLayout(int heads, int steps) {
        this.heads = heads;
        this.steps = steps;
    }

    /** Makes the orders for a batch of {@code b} samples, unless they are made already. */
    void prepare(int b) {
        if (b == batch) {
            return;
        }
        batch = b;
        int h = heads;
        int s = steps;
        int rows = b * s * h;
        toHeads = new int[3 * rows];
        fromHeads = new int[3 * rows];
        toSteps = new int[rows];
        fromSteps = new int[rows];
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < b; i++) {
                for (int k = 0; k < h; k++) {
                    for (int j = 0; j < s; j++) {
                        int headMajor = ((t * b + i) * h + k) * s + j;
                        int stepMajor = ((i * s + j) * 3 + t) * h + k;
                        toHeads[headMajor] = stepMajor;
                        fromHeads[stepMajor] = headMajor;
                    }
                }
            }
        }
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < s; j++) {
                for (int k = 0; k < h; k++) {
                    int stepMajor = (i * s + j) * h + k;
                    int headMajor = (i * h + k) * s + j;
                    toSteps[stepMajor] = headMajor;
                    fromSteps[headMajor] = stepMajor;
                }
            }
        }
    }

    /** For a gather from {@code [B, S, 3, H, d]} rows into {@code [3, B, H, S, d]}. */
    int[] toHeads() {
        return toHeads;
    }

    /** For a gather from {@code [3, B, H, S, d]} rows back into {@code [B, S, 3, H, d]}. */
    int[] fromHeads() {
        return fromHeads;
    }

    /** For a gather from {@code [B, H, S, d]} rows into {@code [B, S, H, d]}. */
    int[] toSteps() {
        return toSteps;
    }

    /** For a gather from {@code [B, S, H, d]} rows back into {@code [B, H, S, d]}. */
    int[] fromSteps() {
        return fromSteps;
    }
}
