package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

/**
 * Which steps of a batch are padding, for a recurrent layer that skips them
 * ({@link Recurrent#maskZeroSteps()}): the rows of the time-major input that are all zeros, read on
 * the host once per batch and uploaded as a {@code [T * B, 1]} mask (1 real, 0 padding) when the
 * batch has any.
 *
 * <p>A layer above the first in a {@link RecurrentStack} takes the first layer's mask instead of
 * looking at its own input: with dropout between the layers, a real step's input can be all zeros
 * (every unit dropped), and would otherwise be skipped as padding.
 */
final class PaddingMask {
    private final Backend be;
    private final BatchBuffer mask;
    private float[] values = new float[0];
    private float[] input = new float[0];
    private boolean any;
    private PaddingMask source;
    private boolean reversed;

    PaddingMask(Backend be) {
        this.be = be;
        this.mask = new BatchBuffer(be, Shape.of(1));
    }

    /** Takes {@code first}'s mask from now on, reversed in time for a layer that reads the sequence backwards. */
    void follow(PaddingMask first, boolean reverseTime) {
        source = first;
        reversed = reverseTime;
    }

    /**
     * Finds the padding of a batch, given as its time-major input {@code xs} {@code [steps * batch, features]}.
     *
     * @return whether any step of the batch is padding
     */
    boolean find(Tensor xs, int steps, int batch, int features) {
        int rows = steps * batch;
        if (values.length < rows) {
            values = new float[rows];
        }
        if (source != null) {
            for (int t = 0; t < steps; t++) {
                int from = (reversed ? steps - 1 - t : t) * batch;
                System.arraycopy(source.values, from, values, t * batch, batch);
            }
            any = source.any;
        } else {
            if (input.length < rows * features) {
                input = new float[rows * features];
            }
            be.read(xs, input, 0);
            any = false;
            for (int r = 0; r < rows; r++) {
                float m = 0f;
                for (int j = 0; j < features; j++) {
                    if (input[r * features + j] != 0f) {
                        m = 1f;
                        break;
                    }
                }
                values[r] = m;
                any |= m == 0f;
            }
        }
        if (any) {
            be.write(mask.get(rows), values, 0);
        }
        return any;
    }

    /** The mask of the last batch found, {@code [rows, 1]}. */
    Tensor tensor(int rows) {
        return mask.get(rows);
    }
}
