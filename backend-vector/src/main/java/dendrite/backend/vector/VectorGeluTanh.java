package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.L;

import jdk.incubator.vector.FloatVector;

/**
 * GELU's tanh form, {@code 0.5 x (1 + tanh u)} with {@code u = c (x + a x^3)}, and its derivative,
 * both through {@code s = sigmoid(2u) = 1 / (1 + e^(-2u))}: {@code y = x s} (the same value, since
 * {@code 1 + tanh u = 2 s}; for very negative x, {@code 1 + tanh u} cancels to a few float bits, the
 * sigmoid keeps full relative precision), and the reference's
 * {@code 0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3 a x^2)} as {@code s + 2 x s (1 - s) c (1 + 3 a x^2)}
 * (since {@code 1 - t^2 = 4 s (1 - s)}).
 *
 * <p>In passes over blocks of a scratch array, as {@link VectorGelu}: {@code -2u}; its exp by
 * {@link VectorMath}'s array form; then y or y'. No vector is handed to a helper: C2 boxes a vector
 * passed to a method it leaves out of line, and which calls it inlines depends on what the process
 * ran before (after this derivative had run on small tensors, its helpers stayed calls and every later
 * call allocated, for good). A scalar twin gives the last elements the same bits.
 */
final class VectorGeluTanh {
    private static final int BLOCK = ScratchBlocks.BLOCK;
    /** sqrt(2 / pi). */
    private static final float C = (float) Math.sqrt(2.0 / Math.PI);
    private static final float A = 0.044715f;

    private VectorGeluTanh() {
    }

    /** {@code out[i] = gelu_tanh(x[i])} for n elements; out may be x. */
    static void forward(int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        if (bound > 0) {
            float[] s = ScratchBlocks.first();
            for (int b = 0; b < bound; b += BLOCK) {
                int len = Math.min(BLOCK, bound - b);
                sigmoids(len, x, xOff + b, s);
                for (int j = 0; j < len; j += L) {
                    FloatVector.fromArray(F, x, xOff + b + j).mul(FloatVector.fromArray(F, s, j))
                            .intoArray(out, outOff + b + j);
                }
            }
        }
        for (int i = bound; i < n; i++) {
            out[outOff + i] = x[xOff + i] * sigmoid(x[xOff + i]);
        }
    }

    /** {@code dx[i] = dy[i] * gelu_tanh'(x[i])} for n elements; dx may be dy. */
    static void backward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int bound = F.loopBound(n);
        if (bound > 0) {
            float[] s = ScratchBlocks.first();
            for (int b = 0; b < bound; b += BLOCK) {
                int len = Math.min(BLOCK, bound - b);
                sigmoids(len, x, xOff + b, s);
                for (int j = 0; j < len; j += L) {
                    FloatVector v = FloatVector.fromArray(F, x, xOff + b + j);
                    FloatVector sv = FloatVector.fromArray(F, s, j);
                    FloatVector du = v.mul(v).mul(3f * A).add(1f).mul(2f * C);
                    FloatVector grad = v.mul(sv).mul(FloatVector.broadcast(F, 1f).sub(sv)).mul(du).add(sv);
                    FloatVector.fromArray(F, dy, dyOff + b + j).mul(grad).intoArray(dx, dxOff + b + j);
                }
            }
        }
        for (int i = bound; i < n; i++) {
            dx[dxOff + i] = dy[dyOff + i] * derivative(x[xOff + i]);
        }
    }

    /** {@code s[j] = sigmoid(2u)} for x = x[xOff + j], j < len (a multiple of the vector length). */
    private static void sigmoids(int len, float[] x, int xOff, float[] s) {
        for (int j = 0; j < len; j += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + j);
            v.mul(v).mul(A).add(1f).mul(v).mul(-2f * C).intoArray(s, j);
        }
        VectorMath.exp(s, 0, 1f, 0f, s, 0, len);                   // e^(-2u) in place: an array pass
        for (int j = 0; j < len; j += L) {
            FloatVector.broadcast(F, 1f).div(FloatVector.fromArray(F, s, j).add(1f)).intoArray(s, j);
        }
    }

    /** sigmoid(2u) for one float: the vector passes' operations in the same order. */
    private static float sigmoid(float x) {
        float minus2u = (x * x * A + 1f) * x * (-2f * C);
        return 1f / (VectorMath.exp(minus2u * 1f + 0f) + 1f);    // * 1 + 0: as the array pass's exp takes it
    }

    /** The derivative for one float: the vector pass's operations in the same order. */
    private static float derivative(float x) {
        float s = sigmoid(x);
        float du = (x * x * (3f * A) + 1f) * (2f * C);
        return x * s * (1f - s) * du + s;
    }
}
