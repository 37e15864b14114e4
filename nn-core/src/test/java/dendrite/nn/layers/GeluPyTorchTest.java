package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.PyTorch;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link GELU} in both forms gives PyTorch's {@code nn.GELU()} and {@code nn.GELU(approximate='tanh')},
 * forward and backward, on the same inputs from -10 to 10, compared with PyTorch run here, on every
 * backend.
 *
 * <p>Twice. Against PyTorch in float64, whose values are exact far below float, within 1e-5
 * relative, plus 1e-13 absolute where float64's own {@code 1 + erf} or {@code 1 + tanh} cancels (x
 * below about -7), plus for the derivative a couple of float ulps of the two terms it adds, which
 * cancel near its zero at x = -0.75. Against PyTorch in float32, what its users get, within 1e-6
 * relative plus PyTorch's own rounding: it rounds {@code 1 + erf(x / sqrt 2)} or {@code 1 + tanh u}
 * (and the tanh form's {@code 1 - tanh^2 u}) to a float, a couple of ulps of 1 that cancel to a
 * large part of a small result for negative x, and multiplies them by the factors in front.
 */
class GeluPyTorchTest {
    private static final float[] X = inputs();
    private static final float[] DY = gradients();
    /** PyTorch's results per form: y and dx in float32, then in float64. */
    private static final Map<GELU.Approximate, double[][]> TORCH = new ConcurrentHashMap<>();

    /** -10 to 10 by 0.25, and the points where the functions turn: the derivative's zero, 0 and near it. */
    private static float[] inputs() {
        float[] special = {-0.7518f, -1e-3f, 1e-3f, -6.3f, -8.7f, 3.3f, 1e-30f};
        float[] x = new float[81 + special.length];
        for (int i = 0; i <= 80; i++) {
            x[i] = -10f + 0.25f * i;
        }
        System.arraycopy(special, 0, x, 81, special.length);
        return x;
    }

    private static float[] gradients() {
        float[] dy = new float[X.length];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = -2 + 4 * CounterRandom.uniform(5, i);
        }
        return dy;
    }

    @OnEveryBackend
    void exactGeluIsTorchsDefault(String backend) throws Exception {
        compare(backend, GELU.Approximate.NONE);
    }

    @OnEveryBackend
    void tanhGeluIsTorchsApproximateTanh(String backend) throws Exception {
        compare(backend, GELU.Approximate.TANH);
    }

    private static void compare(String backend, GELU.Approximate form) throws Exception {
        double[][] torch = torch(form);
        Backend be = EveryBackend.get(backend);
        GELU layer = new GELU(form);
        layer.build(be, Shape.of(X.length), 1);
        try (Tensor x = be.tensor(X, 1, X.length); Tensor dy = be.tensor(DY, 1, X.length)) {
            float[] y = layer.forward(x, true).toArray();
            float[] dx = layer.backward(dy).toArray();
            for (int i = 0; i < X.length; i++) {
                String at = backend + " " + layer + " at x = " + X[i];
                double g = Math.abs(DY[i]);
                assertEquals(torch[2][i], y[i], 1e-5 * Math.abs(torch[2][i]) + 1e-13, at + ": y vs float64");
                assertEquals(torch[3][i], dx[i], 1e-5 * Math.abs(torch[3][i]) + g * (1e-13 + derivativeTerms(i, torch)
                        * 2 * Math.ulp(1f)), at + ": dx vs float64");
                assertEquals(torch[0][i], y[i], 1e-6 * Math.abs(torch[0][i]) + torchFloatRounding(form, X[i], false),
                        at + ": y vs float32");
                assertEquals(torch[1][i], dx[i], 1e-6 * Math.abs(torch[1][i]) + g * torchFloatRounding(form, X[i], true),
                        at + ": dx vs float32");
            }
        }
    }

    /**
     * The size of the two terms the derivative adds, Phi(x) (y / x) and the rest: where they cancel,
     * near the derivative's zero at x = -0.75, float's rounding of them is all the precision left.
     */
    private static double derivativeTerms(int i, double[][] torch) {
        double cdf = X[i] == 0 ? 0.5 : torch[2][i] / X[i];
        return Math.abs(cdf) + Math.abs(torch[3][i] / DY[i] - cdf);
    }

    /**
     * What float32 PyTorch's rounding of a sum near 1 (two ulps of 1) becomes in y or in the derivative:
     * times x / 2 in y; as it is in the exact derivative {@code Phi + x phi}; times
     * {@code x c (1 + 3 a x^2) / 2} in the tanh form's {@code 1 - tanh^2 u} term.
     */
    private static double torchFloatRounding(GELU.Approximate form, float x, boolean derivative) {
        double sum = 2 * Math.ulp(1f);
        if (!derivative) {
            return sum * Math.abs(x) / 2;
        }
        return form == GELU.Approximate.NONE ? sum
                : sum * (1 + Math.abs(x) * Math.sqrt(2 / Math.PI) * (1 + 3 * 0.044715 * x * x) / 2);
    }

    private static double[][] torch(GELU.Approximate form) throws Exception {
        double[][] cached = TORCH.get(form);
        if (cached != null) {
            return cached;
        }
        double[][] out = PyTorch.elementwiseGradients("torch.nn.GELU(approximate='" + form.label() + "')", X, DY);
        TORCH.put(form, out);
        return out;
    }

}
