package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.L;

import dendrite.tensor.op.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The exponential linear units, {@code x > 0 ? pos x : neg (e^x - 1)}, and their derivative
 * {@code x > 0 ? pos : neg e^x}: ELU with pos 1 and neg alpha, SELU with pos scale and neg scale alpha
 * ({@link #SELU_POS}, {@link #SELU_NEG}). Built like {@link VectorSoftplus} from
 * IEEE operations and {@link VectorMath#exp}, in vector passes over blocks of a scratch array (the
 * output may be the input, so e^x cannot wait in it) and a scalar twin for the last elements with the
 * same bits lane for lane, so a run's results do not depend on when the JIT compiles the kernels.
 *
 * <p>e^x - 1 is expm1, not the subtraction, which near 0 cancels to a multiple of float's epsilon:
 * above {@link #SERIES_ABOVE} it is the Taylor series {@code x (1 + x/2! + ... + x^8/9!)}; below, e^x
 * is at most 0.61, so {@code e^x - 1} loses at most a bit. Every lane computes both and a blend keeps
 * one; for x above 0 the blend keeps {@code pos x}, so the series' overflow there is never seen. At
 * -inf e^x is 0 and y is -neg; NaN stays NaN.
 */
final class VectorElu {
    private static final int BLOCK = ScratchBlocks.BLOCK;

    /** SELU's scale in float, its factor above 0. */
    static final float SELU_POS = (float) Activation.SELU_SCALE;
    /** SELU's scale alpha in float (their product rounded once), its factor below 0. */
    static final float SELU_NEG = (float) (Activation.SELU_SCALE * Activation.SELU_ALPHA);

    /** Above this x the series, below it e^x - 1. */
    static final float SERIES_ABOVE = -0.5f;
    /** e^x - 1 = x (1 + x (E1 + x (E2 + ... + x E8))): E_k = 1 / (k + 1)!. */
    private static final float E1 = 1f / 2;
    private static final float E2 = 1f / 6;
    private static final float E3 = 1f / 24;
    private static final float E4 = 1f / 120;
    private static final float E5 = 1f / 720;
    private static final float E6 = 1f / 5040;
    private static final float E7 = 1f / 40320;
    private static final float E8 = 1f / 362880;

    private VectorElu() {
    }

    /** {@code out[i] = x[i] > 0 ? pos x[i] : neg (e^x[i] - 1)} for n elements; out may be x. */
    static void forward(int n, float pos, float neg, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        if (bound > 0) {
            float[] s = ScratchBlocks.first();
            for (int b = 0; b < bound; b += BLOCK) {
                int len = Math.min(BLOCK, bound - b);
                VectorMath.exp(x, xOff + b, 1f, 0f, s, 0, len);              // e^x
                fromExp(len, pos, neg, x, xOff + b, s, out, outOff + b);
            }
        }
        for (int i = bound; i < n; i++) {
            out[outOff + i] = elu(pos, neg, x[xOff + i]);
        }
    }

    /** The forward pass's second half, for len elements (a multiple of the vector length), e^x in s. */
    private static void fromExp(int len, float pos, float neg, float[] x, int xOff, float[] s, float[] out,
            int outOff) {
        for (int j = 0; j < len; j += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + j);
            // fma written out, not through a helper: a vector passed to a method C2 leaves out of line is boxed
            FloatVector p = Simd.FMA ? v.fma(FloatVector.broadcast(F, E8), FloatVector.broadcast(F, E7))
                    : v.mul(E8).add(E7);
            p = Simd.FMA ? p.fma(v, FloatVector.broadcast(F, E6)) : p.mul(v).add(E6);
            p = Simd.FMA ? p.fma(v, FloatVector.broadcast(F, E5)) : p.mul(v).add(E5);
            p = Simd.FMA ? p.fma(v, FloatVector.broadcast(F, E4)) : p.mul(v).add(E4);
            p = Simd.FMA ? p.fma(v, FloatVector.broadcast(F, E3)) : p.mul(v).add(E3);
            p = Simd.FMA ? p.fma(v, FloatVector.broadcast(F, E2)) : p.mul(v).add(E2);
            p = Simd.FMA ? p.fma(v, FloatVector.broadcast(F, E1)) : p.mul(v).add(E1);
            FloatVector series = (Simd.FMA ? p.fma(v, FloatVector.broadcast(F, 1f)) : p.mul(v).add(1f)).mul(v);
            FloatVector em1 = FloatVector.fromArray(F, s, j).sub(1f)
                    .blend(series, v.compare(VectorOperators.GT, SERIES_ABOVE));
            em1.mul(neg).blend(v.mul(pos), v.compare(VectorOperators.GT, 0f)).intoArray(out, outOff + j);
        }
    }

    /** {@code dx[i] = dy[i] (x[i] > 0 ? pos : neg e^x[i])} for n elements; dx may be dy. */
    static void backward(int n, float pos, float neg, float[] x, int xOff, float[] dy, int dyOff, float[] dx,
            int dxOff) {
        int bound = F.loopBound(n);
        if (bound > 0) {
            float[] s = ScratchBlocks.first();
            for (int b = 0; b < bound; b += BLOCK) {
                int len = Math.min(BLOCK, bound - b);
                VectorMath.exp(x, xOff + b, 1f, 0f, s, 0, len);              // e^x
                for (int j = 0; j < len; j += L) {
                    FloatVector v = FloatVector.fromArray(F, x, xOff + b + j);
                    FloatVector d = FloatVector.fromArray(F, s, j).mul(neg)
                            .blend(FloatVector.broadcast(F, pos), v.compare(VectorOperators.GT, 0f));
                    FloatVector.fromArray(F, dy, dyOff + b + j).mul(d).intoArray(dx, dxOff + b + j);
                }
            }
        }
        for (int i = bound; i < n; i++) {
            dx[dxOff + i] = dy[dyOff + i] * derivative(pos, neg, x[xOff + i]);
        }
    }

    /** One element of {@link #forward}: the passes' operations in the same order, so the same bits. */
    static float elu(float pos, float neg, float x) {
        return x > 0f ? x * pos : expm1(x) * neg;
    }

    /** e^x - 1 as the forward pass computes it, for x at most 0 (or NaN). */
    static float expm1(float x) {
        if (x > SERIES_ABOVE) {
            float p = VectorMath.mulAdd(x, E8, E7);
            p = VectorMath.mulAdd(p, x, E6);
            p = VectorMath.mulAdd(p, x, E5);
            p = VectorMath.mulAdd(p, x, E4);
            p = VectorMath.mulAdd(p, x, E3);
            p = VectorMath.mulAdd(p, x, E2);
            p = VectorMath.mulAdd(p, x, E1);
            return VectorMath.mulAdd(p, x, 1f) * x;
        }
        return VectorMath.exp(x * 1f + 0f) - 1f;
    }

    /** One element's derivative in {@link #backward}: the same operations. */
    static float derivative(float pos, float neg, float x) {
        return x > 0f ? pos : VectorMath.exp(x * 1f + 0f) * neg;
    }
}
