package dendrite.backend.scalar;

import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.UnaryOp;
import dendrite.tensor.spi.Broadcast;

/**
 * Elementwise kernels: one loop over the elements, out[i] = f(x[i]) (or f(a[i], b[j]) with b
 * broadcast). The output may be an input: each element is read before it is written.
 */
final class ScalarElementwise {
    private ScalarElementwise() {
    }

    /** {@code out[i] = op(x[i])}. */
    static void unary(UnaryOp op, int n, float[] x, int xOff, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = apply(op, x[xOff + i]);
        }
    }

    /** One value of a unary op; transcendentals in double, rounded once. */
    static float apply(UnaryOp op, float x) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);          // NaN below 0, -inf at 0
            case SQRT -> (float) Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1f / x;
            case SIGN -> Math.signum(x);              // -1, 0 or 1; NaN stays NaN
            case RSQRT -> (float) (1.0 / Math.sqrt(x));
        };
    }

    /** {@code out[i] = alpha * x[i] + beta} (a multiply and an add, not a fused multiply-add). */
    static void affine(int n, float[] x, int xOff, float alpha, float beta, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = alpha * x[xOff + i] + beta;
        }
    }

    /** {@code out[i] = x[i] ^ p}, with {@link Math#pow}'s special cases. */
    static void powScalar(int n, float[] x, int xOff, float p, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = (float) Math.pow(x[xOff + i], p);
        }
    }

    /** {@code out[i] = min(max(x[i], lo), hi)}; Math.max/min keep a NaN x NaN. */
    static void clamp(int n, float[] x, int xOff, float lo, float hi, float[] out, int outOff) {
        for (int i = 0; i < n; i++) {
            out[outOff + i] = Math.min(Math.max(x[xOff + i], lo), hi);
        }
    }

    /**
     * {@code out[r, c] = op(a[r, c], b[...])} over a seen as rows x cols, where b's index
     * depends on the broadcast: SAME {@code r * cols + c}, ROW {@code c}, COLUMN {@code r},
     * SCALAR {@code 0}.
     */
    static void binary(BinaryOp op, Broadcast bc, int rows, int cols, float[] a, int aOff, float[] b, int bOff,
            float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                int j = switch (bc) {
                    case SAME -> i;
                    case ROW -> c;
                    case COLUMN -> r;
                    case SCALAR -> 0;
                };
                out[outOff + i] = apply(op, a[aOff + i], b[bOff + j]);
            }
        }
    }

    /** One value of a binary op. */
    static float apply(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> (float) Math.pow(a, b);
            case MAX -> Math.max(a, b);               // NaN if either is NaN
            case MIN -> Math.min(a, b);
        };
    }
}
