package dendrite.backend.scalar;

import dendrite.tensor.op.ReduceOp;

/**
 * Reductions and the row-wise kernels built on them: sum, mean, max and sum of squares along an
 * axis, softmax, log-softmax and argmax.
 *
 * <p>A reduction along an axis sees the tensor as {@code [outer, len, inner]} with the reduced
 * axis in the middle: element (o, l, i) is at {@code o * len * inner + l * inner + i}, and the
 * result (o, i) at {@code o * inner + i}. Reducing the last axis is inner = 1; the first,
 * outer = 1.
 *
 * <p>Sums accumulate in {@code float}, starting from 0, in increasing index order along the
 * reduced axis. That order is the reference.
 */
final class ScalarReductions {
    private ScalarReductions() {
    }

    /** Reduces x, viewed as [outer, len, inner], along the middle axis into out [outer, inner]. */
    static void reduce(ReduceOp op, int outer, int len, int inner, float[] x, int xOff, float[] out, int outOff) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int start = xOff + o * len * inner + i;
                out[outOff + o * inner + i] = reduceLine(op, x, start, len, inner);
            }
        }
    }

    /**
     * Reduces the {@code len} values {@code x[start], x[start + stride], ...}.
     * <ul>
     *   <li>SUM: {@code x_0 + x_1 + ... }</li>
     *   <li>MEAN: SUM / len</li>
     *   <li>MAX: the largest; NaN as soon as any value is NaN</li>
     *   <li>SUM_SQUARES: {@code x_0^2 + x_1^2 + ...}</li>
     * </ul>
     */
    static float reduceLine(ReduceOp op, float[] x, int start, int len, int stride) {
        switch (op) {
            case SUM, MEAN -> {
                float sum = 0f;
                for (int l = 0; l < len; l++) {
                    sum += x[start + l * stride];
                }
                return op == ReduceOp.MEAN ? sum / len : sum;
            }
            case SUM_SQUARES -> {
                float sum = 0f;
                for (int l = 0; l < len; l++) {
                    float v = x[start + l * stride];
                    sum += v * v;
                }
                return sum;
            }
            case MAX -> {
                float max = Float.NEGATIVE_INFINITY;
                for (int l = 0; l < len; l++) {
                    max = Math.max(max, x[start + l * stride]);   // Math.max returns NaN if either is NaN
                }
                return max;
            }
            default -> throw new UnsupportedOperationException("scalar: reduce " + op.label());
        }
    }

    /**
     * Softmax of each row of {@code cols} values, stable because the row's maximum is
     * subtracted first (so the largest exponent is e^0 = 1 and nothing overflows):
     * {@code out_j = e^(x_j - max) / sum_k e^(x_k - max)}. out may be x.
     */
    static void softmax(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int xs = xOff + r * cols;
            int os = outOff + r * cols;
            float max = reduceLine(ReduceOp.MAX, x, xs, cols, 1);
            float sum = 0f;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(x[xs + j] - max);
                out[os + j] = e;
                sum += e;
            }
            for (int j = 0; j < cols; j++) {
                out[os + j] /= sum;
            }
        }
    }

    /**
     * Log-softmax of each row, stable the same way:
     * {@code out_j = x_j - max - ln sum_k e^(x_k - max)}. out may be x.
     */
    static void logSoftmax(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int xs = xOff + r * cols;
            int os = outOff + r * cols;
            float max = reduceLine(ReduceOp.MAX, x, xs, cols, 1);
            float sum = 0f;
            for (int j = 0; j < cols; j++) {
                sum += (float) Math.exp(x[xs + j] - max);
            }
            float logSum = (float) Math.log(sum);
            for (int j = 0; j < cols; j++) {
                out[os + j] = x[xs + j] - max - logSum;
            }
        }
    }

    /**
     * The column of each row's largest value, as a float: the first one on ties, and the first
     * NaN if the row has one (a NaN counts as larger than everything).
     */
    static void argmax(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int xs = xOff + r * cols;
            int best = 0;
            for (int j = 1; j < cols && !Float.isNaN(x[xs + best]); j++) {
                float v = x[xs + j];
                if (v > x[xs + best] || Float.isNaN(v)) {   // strictly greater: ties keep the first
                    best = j;
                }
            }
            out[outOff + r] = best;
        }
    }
}
