package dendrite.backend.scalar;

import dendrite.tensor.Backend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.tensor.op.Activation;
import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Activation values at known points, and derivatives against central differences. */
class ScalarActivationsTest {
    private final Backend be = Backend.of(new ScalarKernels());

    private float[] forward(Activation act, float param, float... x) {
        Tensor out = be.zeros(x.length);
        be.activation(act, param, be.tensor(x, x.length), out);
        return out.toArray();
    }

    @Test
    void valuesAtKnownPoints() {
        Expect.values(forward(Activation.IDENTITY, 0f, -2, 3), 0f, -2, 3);
        Expect.values(forward(Activation.RELU, 0f, -2, 0, 3, Float.NaN), 0f, 0, 0, 3, Float.NaN);
        Expect.values(forward(Activation.LEAKY_RELU, 0.1f, -2, 3), 1e-7f, -0.2f, 3);
        // sigmoid(0) = 1/2, sigmoid(ln 3) = 1 / (1 + 1/3) = 3/4
        Expect.values(forward(Activation.SIGMOID, 0f, 0, (float) Math.log(3)), 1e-7f, 0.5f, 0.75f);
        // tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 0.6
        Expect.values(forward(Activation.TANH, 0f, 0, (float) Math.log(2)), 1e-7f, 0, 0.6f);
        // gelu(1) = Phi(1) = 0.8413447
        Expect.values(forward(Activation.GELU, 0f, 0, 1), 1e-6f, 0, 0.8413447f);
        // the tanh form: 0.5 (1 + tanh(0.7978846 * 1.044715)) = 0.5 (1 + tanh(0.8335613)) = 0.8411920
        Expect.values(forward(Activation.GELU_TANH, 0f, 0, 1), 1e-6f, 0, 0.841192f);
        // softplus(0) = ln 2
        Expect.values(forward(Activation.SOFTPLUS, 0f, 0), 1e-7f, 0.6931472f);
        // elu(ln 1/2) = alpha (1/2 - 1)
        Expect.values(forward(Activation.ELU, 2f, (float) Math.log(0.5), 3), 1e-7f, -1f, 3);
        // hardswish: 0 to -3, x (x + 3) / 6 up to 3, x above
        Expect.values(forward(Activation.HARDSWISH, 0f, -5, -1, 1, 5), 0f, 0, -1f / 3, 2f / 3, 5);
    }

    @Test
    void sigmoidAndSoftplusStayFiniteFarOut() {
        // sigmoid(-100) = 1 / (1 + e^100) = 3.72e-44, a subnormal float; e^1000 overflows and gives 0
        Expect.values(forward(Activation.SIGMOID, 0f, -100, -1000, 100), 1e-45f, 3.72e-44f, 0f, 1f);
        float[] y = forward(Activation.SOFTPLUS, 0f, 100, -100, 1000, -1000);
        assertEquals(100f, y[0]);
        // ln(1 + e^-100) = e^-100 = 3.72e-44: tiny but not zero (a subnormal float)
        assertEquals(3.72e-44f, y[1], 1e-45f);
        assertEquals(1000f, y[2]);              // ln(1 + e^1000) would overflow if done naively
        assertEquals(0f, y[3]);
    }

    @Test
    void exactGeluKeepsItsRelativePrecisionForVeryNegativeX() {
        // x Phi(x) and Phi(x) + x phi(x) at -1, -5, -10, -40: Phi(-10) = 7.6e-24 would be lost in 1 + erf
        float[] x = {-1, -5, -10, -40};
        float[] y = forward(Activation.GELU, 0f, x);
        double[] expectedY = {-0.15865525393145705, -1.4332578593959696e-6, -7.619853024160526e-23, 0};
        Tensor dx = be.zeros(x.length);
        be.activationBackward(Activation.GELU, 0f, be.tensor(x, x.length), null, be.full(1f, x.length), dx);
        double[] expectedD = {-0.08331547058768630, -7.146946001792295e-6, -7.618400096464814e-22, 0};
        for (int i = 0; i < x.length; i++) {
            assertEquals(expectedY[i], y[i], 1e-7 * Math.abs(expectedY[i]), "gelu(" + x[i] + ")");
            assertEquals(expectedD[i], dx.toArray()[i], 1e-7 * Math.abs(expectedD[i]), "gelu'(" + x[i] + ")");
        }
    }

    /** Points away from the kinks: ReLU's and leaky ReLU's at 0, hard swish's at -3 and 3. */
    private static final float[] POINTS = {-3.2f, -1.3f, -0.4f, -0.05f, 0.07f, 0.6f, 1.7f, 2.9f};

    @ParameterizedTest
    @EnumSource(Activation.class)
    void derivativeMatchesCentralDifferences(Activation act) {
        float param = 0.2f;
        int n = POINTS.length;
        float h = 1e-2f;
        float[] xp = new float[n];
        float[] xm = new float[n];
        for (int i = 0; i < n; i++) {
            xp[i] = POINTS[i] + h;
            xm[i] = POINTS[i] - h;
        }
        float[] fp = forward(act, param, xp);
        float[] fm = forward(act, param, xm);

        Tensor x = be.tensor(POINTS, n);
        Tensor y = be.zeros(n);
        be.activation(act, param, x, y);
        Tensor dy = be.full(0.5f, n);          // dx = dy * f'(x) with dy = 1/2
        Tensor dx = be.zeros(n);
        be.activationBackward(act, param, x, y, dy, dx);

        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            expected[i] = (float) (0.5 * (fp[i] - fm[i]) / ((double) xp[i] - xm[i]));
        }
        Expect.values(dx, 2e-4f, expected);
    }

    @Test
    void backwardReadsOnlyWhatItNeedsAndMayWriteIntoDy() {
        // ReLU needs only y; the GELUs only x. dx may be dy.
        Tensor y = be.tensor(new float[] {0, 2}, 2);
        Tensor g = be.tensor(new float[] {5, 5}, 2);
        be.activationBackward(Activation.RELU, 0f, null, y, g, g);
        Expect.values(g, 0f, 0, 5);
        Tensor x = be.tensor(new float[] {0}, 1);
        Tensor g1 = be.tensor(new float[] {3}, 1);
        be.activationBackward(Activation.GELU, 0f, x, null, g1, g1);
        Expect.values(g1, 0f, 1.5f);            // gelu'(0) = 1/2
        Tensor g2 = be.tensor(new float[] {3}, 1);
        be.activationBackward(Activation.GELU_TANH, 0f, x, null, g2, g2);
        Expect.values(g2, 0f, 1.5f);
    }

    @Test
    void backwardWithoutTheTensorItNeedsIsRejected() {
        Tensor t = be.zeros(2);
        var e = assertThrows(IllegalArgumentException.class,
                () -> be.activationBackward(Activation.GELU, 0f, null, t, t, t));
        assertTrue(e.getMessage().contains("gelu"), e.getMessage());
        var tanhForm = assertThrows(IllegalArgumentException.class,
                () -> be.activationBackward(Activation.GELU_TANH, 0f, null, t, t, t));
        assertTrue(tanhForm.getMessage().contains("gelu_tanh"), tanhForm.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> be.activationBackward(Activation.SIGMOID, 0f, t, null, t, t));
    }
}
