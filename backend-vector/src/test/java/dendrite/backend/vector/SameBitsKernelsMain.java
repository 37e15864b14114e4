package dendrite.backend.vector;

import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.UnaryOp;
import java.util.SplittableRandom;

/**
 * Prints, as raw float bits, what the vector backend's exp-based kernels (exp, softmax, log-softmax,
 * sigmoid, both GELUs, tanh, softplus and their derivatives) give on a fixed input:
 * {@link SameBitsTest} runs it in an interpreter-only JVM ({@code -Xint}, where the Vector API's
 * Java fallback computes everything) and compares with its own results after C2 has compiled the
 * kernels.
 */
public final class SameBitsKernelsMain {
    /** Rows and columns of the input: 37 columns leave a tail after two 16-lane vectors. */
    static final int ROWS = 24;
    static final int COLS = 37;

    private SameBitsKernelsMain() {
    }

    public static void main(String[] args) {
        try (Backend be = Backend.of(new VectorKernels(1))) {
            System.out.println(String.join("\n", results(be)));
        }
    }

    /** One line per kernel: its name, then the hex bits of every output value. */
    static String[] results(Backend be) {
        Tensor x = be.tensor(input(), ROWS, COLS);
        Tensor out = be.zeros(ROWS, COLS);
        Tensor small = be.tensor(scaled(input(), 0.125f), ROWS, COLS);
        String[] lines = new String[10];
        be.unary(UnaryOp.EXP, x, out);
        lines[0] = line("exp", out);
        be.softmax(x, out);
        lines[1] = line("softmax", out);
        be.logSoftmax(x, out);
        lines[2] = line("logSoftmax", out);
        be.activation(Activation.SIGMOID, 0f, x, out);
        lines[3] = line("sigmoid", out);
        be.activation(Activation.GELU, 0f, x, out);
        lines[4] = line("gelu", out);
        be.activation(Activation.GELU_TANH, 0f, x, out);
        lines[5] = line("geluTanh", out);
        be.activationBackward(Activation.GELU, 0f, x, null, x, out);
        lines[6] = line("geluBackward", out);
        be.activation(Activation.TANH, 0f, small, out);
        lines[7] = line("tanh", out);
        be.activation(Activation.SOFTPLUS, 0f, small, out);
        lines[8] = line("softplus", out);
        be.activationBackward(Activation.SOFTPLUS, 0f, null, out, x, small);
        lines[9] = line("softplusBackward", small);
        return lines;
    }

    /** Values over the range where exp's last bit is at stake, including large and tiny ones. */
    static float[] input() {
        SplittableRandom r = new SplittableRandom(7);
        float[] v = new float[ROWS * COLS];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 40 - 20) * (i % 5 == 0 ? 4f : 1f);
        }
        return v;
    }

    /** The input times {@code s}: values of tanh and softplus where they are not flat. */
    static float[] scaled(float[] v, float s) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= s;
        }
        return v;
    }

    private static String line(String name, Tensor t) {
        StringBuilder sb = new StringBuilder(name);
        for (float f : t.toArray()) {
            sb.append(' ').append(Integer.toHexString(Float.floatToRawIntBits(f)));
        }
        return sb.toString();
    }
}
