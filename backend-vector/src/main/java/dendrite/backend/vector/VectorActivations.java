package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.F;
import static dendrite.backend.vector.Simd.L;

import dendrite.tensor.op.Activation;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Activation functions and their derivatives over ranges of a {@code float[]}, a vector at a
 * time, the tail one float at a time with the same operations (no masks, for the reason
 * {@link VectorElementwise} gives). The formulas are the scalar backend's ({@code ScalarActivations}).
 * sigmoid, tanh ({@link VectorTanh}), softplus ({@link VectorSoftplus}), SiLU ({@link VectorSilu}),
 * ELU and SELU ({@link VectorElu}), Mish ({@link VectorMish}) and both GELUs use {@link VectorMath}'s
 * exp, with a scalar tail that gives the same bits, so their results do not depend on when the JIT
 * compiles them (the Vector API's {@code TANH}, {@code LOG1P} and {@code EXPM1}, which C2 compiles to
 * SVML and the interpreter to {@code Math} calls, did).
 *
 * <p>Each activation has its own small method: a switch inside a loop would make C2 merge vectors
 * of different cases and box them, and one method holding every loop was too big for C1 ("out of
 * virtual registers") and stayed slow, interpreted-speed vector code for seconds (measured: a fused
 * dense layer at a third of the GEMM's speed until it was split).
 *
 * <p>Inside those methods the arithmetic is written in the loop, not in helpers taking a vector
 * ({@code relu(v)}, {@code sigmoidGrad(y)}): C2 compiles such a helper into its caller only where it
 * judges the call hot, and in a long-lived JVM it did not, boxing every vector that crossed the call
 * (an LSTM's training step allocated 2.6 MB in the sigmoid). The GELUs, tanh, softplus, SiLU, the ELUs and
 * Mish run in passes over scratch blocks in classes of their own ({@link VectorGelu}, {@link VectorGeluTanh},
 * {@link VectorTanh}, {@link VectorSoftplus}, {@link VectorSilu}, {@link VectorElu}, {@link VectorMish});
 * hard swish, plain arithmetic, in {@link VectorHardswish}.
 */
final class VectorActivations {
    private VectorActivations() {
    }

    /** Whether the backward pass of {@code act} reads the forward input x (else the output y). */
    static boolean backwardNeedsInput(Activation act) {
        return act.backwardReadsInput();
    }

    /** {@code out[i] = act(x[i])} for n elements; out may be x. */
    static void forward(Activation act, float param, int n, float[] x, int xOff, float[] out, int outOff) {
        switch (act) {
            case IDENTITY -> {
                if (x != out || xOff != outOff) {
                    System.arraycopy(x, xOff, out, outOff, n);
                }
                return;
            }
            case RELU -> forwardRelu(param, n, x, xOff, out, outOff);
            case LEAKY_RELU -> forwardLeakyRelu(param, n, x, xOff, out, outOff);
            case SIGMOID -> forwardSigmoid(param, n, x, xOff, out, outOff);
            case TANH -> VectorTanh.forward(n, x, xOff, out, outOff);
            case GELU -> VectorGelu.forward(n, x, xOff, out, outOff);
            case GELU_TANH -> VectorGeluTanh.forward(n, x, xOff, out, outOff);
            case SOFTPLUS -> VectorSoftplus.forward(n, x, xOff, out, outOff);
            case SILU -> VectorSilu.forward(n, x, xOff, out, outOff);
            case ELU -> VectorElu.forward(n, 1f, param, x, xOff, out, outOff);
            case SELU -> VectorElu.forward(n, VectorElu.SELU_POS, VectorElu.SELU_NEG, x, xOff, out, outOff);
            case MISH -> VectorMish.forward(n, x, xOff, out, outOff);
            case HARDSWISH -> VectorHardswish.forward(n, x, xOff, out, outOff);
        }
    }

    private static void forwardRelu(float param, int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.fromArray(F, x, xOff + i).max(0f).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = Math.max(x[xOff + i], 0f);
        }
    }

    private static void forwardLeakyRelu(float param, int n, float[] x, int xOff, float[] out, int outOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i);
            v.mul(param).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            float v = x[xOff + i];
            out[outOff + i] = v > 0f ? v : v * param;
        }
    }

    /**
     * 1 / (1 + e^-x) in two passes over the output: e^-x by {@link VectorMath#exp(float[], int, float,
     * float, float[], int, int)}, then 1 / (1 + e). The same operations in the same order as one pass, so the
     * same bits; two passes because a helper computing a vector's sigmoid was left out of line by C2
     * in a long-lived JVM, boxing every vector (an LSTM step allocated 2.6 MB).
     */
    private static void forwardSigmoid(float param, int n, float[] x, int xOff, float[] out, int outOff) {
        VectorMath.exp(x, xOff, -1f, 0f, out, outOff, n);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector.broadcast(F, 1f).div(FloatVector.fromArray(F, out, outOff + i).add(1f)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = 1f / (out[outOff + i] + 1f);
        }
    }

    /**
     * {@code dx[i] = dy[i] * act'(x[i])}, reading x only when {@link #backwardNeedsInput} says so
     * and y (the forward output) otherwise; the unused one may be null. dx may be dy. The
     * derivative multiplies dy even where it is 0, so a NaN or infinite dy stays visible, as in
     * the reference.
     */
    static void backward(Activation act, float param, int n, float[] x, int xOff, float[] y, int yOff,
            float[] dy, int dyOff, float[] dx, int dxOff) {
        if (act == Activation.IDENTITY) {
            if (dy != dx || dyOff != dxOff) {
                System.arraycopy(dy, dyOff, dx, dxOff, n);
            }
            return;
        }
        boolean useX = backwardNeedsInput(act);
        float[] in = useX ? x : y;
        int inOff = useX ? xOff : yOff;
        switch (act) {
            case RELU -> backwardRelu(param, n, in, inOff, dy, dyOff, dx, dxOff);
            case LEAKY_RELU -> backwardLeakyRelu(param, n, in, inOff, dy, dyOff, dx, dxOff);
            case SIGMOID -> backwardSigmoid(param, n, in, inOff, dy, dyOff, dx, dxOff);
            case TANH -> backwardTanh(param, n, in, inOff, dy, dyOff, dx, dxOff);
            case GELU -> VectorGelu.backward(n, in, inOff, dy, dyOff, dx, dxOff);
            case GELU_TANH -> VectorGeluTanh.backward(n, in, inOff, dy, dyOff, dx, dxOff);
            case SOFTPLUS -> VectorSoftplus.backward(n, in, inOff, dy, dyOff, dx, dxOff);
            case SILU -> VectorSilu.backward(n, in, inOff, dy, dyOff, dx, dxOff);
            case ELU -> VectorElu.backward(n, 1f, param, in, inOff, dy, dyOff, dx, dxOff);
            case SELU -> VectorElu.backward(n, VectorElu.SELU_POS, VectorElu.SELU_NEG, in, inOff, dy, dyOff, dx,
                    dxOff);
            case MISH -> VectorMish.backward(n, in, inOff, dy, dyOff, dx, dxOff);
            case HARDSWISH -> VectorHardswish.backward(n, in, inOff, dy, dyOff, dx, dxOff);
            default -> throw new AssertionError(act);
        }
    }

    private static void backwardRelu(float param, int n, float[] in, int inOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i);
            FloatVector v = FloatVector.fromArray(F, in, inOff + i);
            g.mul(FloatVector.zero(F).blend(1f, v.compare(VectorOperators.GT, 0f))).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = dy[dyOff + i] * (in[inOff + i] > 0f ? 1f : 0f);
        }
    }

    private static void backwardLeakyRelu(float param, int n, float[] in, int inOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i);
            FloatVector v = FloatVector.fromArray(F, in, inOff + i);
            g.mul(FloatVector.broadcast(F, param).blend(1f, v.compare(VectorOperators.GT, 0f))).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = dy[dyOff + i] * (in[inOff + i] > 0f ? 1f : param);
        }
    }

    private static void backwardSigmoid(float param, int n, float[] in, int inOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i);
            FloatVector v = FloatVector.fromArray(F, in, inOff + i);
            g.mul(v.mul(FloatVector.broadcast(F, 1f).sub(v))).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            float v = in[inOff + i];
            dx[dxOff + i] = dy[dyOff + i] * (v * (1f - v));
        }
    }

    private static void backwardTanh(float param, int n, float[] in, int inOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            FloatVector g = FloatVector.fromArray(F, dy, dyOff + i);
            FloatVector v = FloatVector.fromArray(F, in, inOff + i);
            g.mul(FloatVector.broadcast(F, 1f).sub(v.mul(v))).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            float v = in[inOff + i];
            dx[dxOff + i] = dy[dyOff + i] * (1f - v * v);
        }
    }
}
