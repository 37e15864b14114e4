package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

/**
 * Which steps of a batch are padding, for a recurrent layer that skips them
 * ({@link Recurrent#maskZeroSteps()}): the rows of the time-major input that are all zeros, read on
 * the host once per batch and uploaded as a {@code [T * B, 1]} mask (1 real, 0 padding) when the
 * batch has any.
 */
final class PaddingMask {
    private final Backend be;
    private final BatchBuffer mask;
    private float[] values = new float[0];
    private float[] input = new float[0];
    private boolean any;

    PaddingMask(Backend be) {
        this.be = be;
        this.mask = new BatchBuffer(be, Shape.of(1));
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
