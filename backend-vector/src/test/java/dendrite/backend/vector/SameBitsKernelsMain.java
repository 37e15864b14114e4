package dendrite.backend.vector;

import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.UnaryOp;
import java.util.SplittableRandom;

/**
 * Prints, as raw float bits, what the vector backend's exp-based kernels (exp, softmax, log-softmax,
 * sigmoid, both GELUs, tanh, softplus, SiLU, ELU, SELU, Mish and their derivatives, and log; and hard
 * swish's plain arithmetic) give on a fixed input: {@link SameBitsTest} runs it in an interpreter-only
 * JVM ({@code -Xint}, where the Vector API's Java fallback computes everything) and compares with its
 * own results after C2 has compiled the kernels.
 */
public final class SameBitsKernelsMain {
    /** Rows and columns of the input: 37 columns leave a tail after two 16-lane vectors. */
    static final int ROWS = 24;
    static final int COLS = 37;

    /**
     * Inputs whose float logarithm the Vector API's LOG gave one bit apart compiled (SVML, AVX-512 on
     * an AMD Zen 4) and interpreted ({@code Math.log}): about 1 in 58,000 floats were.
     */
    private static final int[] LOG_SPLIT_BITS = {1009766224, 1010617039, 1012197716, 1012517914, 1013355187,
        1014419751, 1014736989, 1014786088, 1015098331, 1017915363, 1018212177, 1018433141, 1018611185, 1018713749,
        1019858862, 1019866003, 1020594422, 1020967863, 1021312925, 1021811278};

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
        String[] lines = new String[25];
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
        be.unary(UnaryOp.EXP, x, out);
        be.unary(UnaryOp.LOG, out, out);
        lines[10] = line("log", out);
        float[] near = new float[LOG_SPLIT_BITS.length];
        for (int i = 0; i < near.length; i++) {
            near[i] = Float.intBitsToFloat(LOG_SPLIT_BITS[i]);
        }
        try (Tensor v = be.tensor(near, near.length); Tensor ln = be.zeros(near.length)) {
            be.unary(UnaryOp.LOG, v, ln);
            lines[11] = line("logOfSplitInputs", ln);
        }
        be.unary(UnaryOp.ABS, small, out);
        be.powScalar(out, 1.7f, out);
        lines[12] = line("powScalar", out);
        be.unary(UnaryOp.ABS, small, out);
        be.binary(BinaryOp.POW, out, small, out);
        lines[13] = line("pow", out);
        try (Tensor exponent = be.full(-0.6f, 1, COLS)) {
            be.unary(UnaryOp.ABS, x, out);
            be.binary(BinaryOp.POW, out, exponent, out);
            lines[14] = line("powByRow", out);
        }
        be.activation(Activation.SILU, 0f, x, out);
        lines[15] = line("silu", out);
        be.activationBackward(Activation.SILU, 0f, x, null, x, out);
        lines[16] = line("siluBackward", out);
        try (Tensor mild = be.tensor(scaled(input(), 0.05f), ROWS, COLS)) {     // both sides of ELU's series
            be.activation(Activation.ELU, 1.3f, mild, out);
            lines[17] = line("elu", out);
            be.activationBackward(Activation.ELU, 1.3f, mild, null, x, out);
            lines[18] = line("eluBackward", out);
            be.activation(Activation.SELU, 0f, mild, out);
            lines[19] = line("selu", out);
            be.activationBackward(Activation.SELU, 0f, mild, null, x, out);
            lines[20] = line("seluBackward", out);
        }
        be.activation(Activation.MISH, 0f, x, out);
        lines[21] = line("mish", out);
        be.activationBackward(Activation.MISH, 0f, x, null, x, out);
        lines[22] = line("mishBackward", out);
        be.activation(Activation.HARDSWISH, 0f, small, out);
        lines[23] = line("hardswish", out);
        be.activationBackward(Activation.HARDSWISH, 0f, small, null, x, out);
        lines[24] = line("hardswishBackward", out);
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
