package dendrite.backend.vector;

import static dendrite.backend.vector.Simd.L;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dendrite.tensor.op.Activation;
import dendrite.tensor.op.UnaryOp;
import org.junit.jupiter.api.Test;

/**
 * The element-wise kernels' tails (the last {@code n % L} elements, computed one float at a time) give
 * the bits their vector lanes give, special values included, and allocate nothing at the end of an
 * array. Masked tails once allocated there: 96 bytes an Adadelta step in CI, on an AVX-512 host run
 * with {@code -XX:UseAVX=2}.
 */
class ElementwiseTailsTest {
    /** Values that tell the operations' edge cases apart: signed zeros, infinities, NaN, subnormals, ties. */
    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, 0.5f, -0.5f, 2f, 3e38f, -3e38f, Float.MIN_VALUE,
        -Float.MIN_VALUE, Float.MIN_NORMAL, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e-30f,
        7.25f, -7.25f, 0.1f, 1e20f};

    /** The kernels under test: {@code out = k(x, dy)}, dy used by the derivatives. */
    private interface Kernel {
        void run(int n, float[] x, float[] dy, float[] out);
    }

    private static Kernel[] kernels() {
        java.util.List<Kernel> ks = new java.util.ArrayList<>();
        for (UnaryOp op : new UnaryOp[] {UnaryOp.NEG, UnaryOp.SQRT, UnaryOp.ABS, UnaryOp.SQUARE, UnaryOp.RECIPROCAL,
            UnaryOp.SIGN, UnaryOp.RSQRT}) {
            ks.add((n, x, dy, out) -> VectorElementwise.unary(op, n, x, 0, out, 0));
        }
        ks.add((n, x, dy, out) -> VectorElementwise.clamp(n, x, 0, -1.5f, 2.5f, out, 0));
        ks.add((n, x, dy, out) -> VectorActivations.forward(Activation.RELU, 0f, n, x, 0, out, 0));
        ks.add((n, x, dy, out) -> VectorActivations.forward(Activation.LEAKY_RELU, 0.1f, n, x, 0, out, 0));
        for (Activation act : new Activation[] {Activation.RELU, Activation.LEAKY_RELU, Activation.SIGMOID,
            Activation.TANH}) {
            // x stands for the input or the output, whichever the derivative reads.
            ks.add((n, x, dy, out) -> VectorActivations.backward(act, 0.1f, n, x, 0, x, 0, dy, 0, out, 0));
        }
        return ks.toArray(new Kernel[0]);
    }

    private static final String[] NAMES = {"neg", "sqrt", "abs", "square", "reciprocal", "sign", "rsqrt", "clamp",
        "relu", "leakyRelu", "reluBackward", "leakyReluBackward", "sigmoidBackward", "tanhBackward"};

    /**
     * Every special value (and each against a special upstream gradient) once in a vector lane and once in
     * the tail: the same bits, or NaN for NaN.
     */
    @Test
    void tailsGiveTheLanesBits() {
        Kernel[] ks = kernels();
        int tail = L - 1;
        int n = L + tail;                         // one vector, then L - 1 values one at a time
        for (int k = 0; k < ks.length; k++) {
            for (int a = 0; a < SPECIAL.length; a += tail) {
                for (float g : new float[] {1f, -2.5f, 0f, Float.POSITIVE_INFINITY, Float.NaN}) {
                    float[] x = new float[n];
                    float[] dy = new float[n];
                    java.util.Arrays.fill(dy, g);
                    for (int j = 0; j < tail; j++) {
                        float v = SPECIAL[(a + j) % SPECIAL.length];
                        x[j] = v;
                        x[L + j] = v;
                    }
                    float[] out = new float[n];
                    ks[k].run(n, x, dy, out);
                    for (int j = 0; j < tail; j++) {
                        MathKernelChecks.assertSameBits(out[j], out[L + j],
                                NAMES[k] + "(" + x[j] + "), dy " + g + ": lane " + j + " vs tail");
                    }
                }
            }
        }
    }

    /** Each kernel on arrays of exactly n elements, so the tail ends at the array's end: no allocation. */
    @Test
    void tailsAtTheEndOfAnArrayAllocateNothing() {
        Kernel[] ks = kernels();
        int n = 2 * L + 3;
        float[] x = new float[n];
        float[] dy = new float[n];
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(i) + 0.25f;
            dy[i] = 1f;
        }
        for (int k = 0; k < ks.length; k++) {
            Kernel kernel = ks[k];
            assertEquals(0, MathKernelChecks.leastBytes(() -> kernel.run(n, x, dy, out)), NAMES[k]);
        }
    }
}
