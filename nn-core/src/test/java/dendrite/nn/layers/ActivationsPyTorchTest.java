package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.PyTorch;
import dendrite.nn.Sequential;
import dendrite.nn.io.ModelFile;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import dendrite.tensor.op.CounterRandom;
import java.nio.file.Path;
import java.util.List;
import java.util.function.DoublePredicate;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SiLU}, {@link Softplus}, {@link ELU}, {@link SELU}, {@link Mish} and {@link Hardswish} give
 * PyTorch's {@code nn.SiLU()}, {@code nn.Softplus()}, {@code nn.ELU(alpha)}, {@code nn.SELU()},
 * {@code nn.Mish()} and {@code nn.Hardswish()}, forward and backward, on inputs from -20 to 20 and where
 * they turn, compared with PyTorch run here, on every backend; and they are layers like the others:
 * built by {@code silu()}, {@code softplus()}, {@code elu(alpha)}, {@code selu()}, {@code mish()},
 * {@code hardswish()} and {@code activation(...)}, recorded in a model file by type (and ELU's alpha)
 * and loaded back.
 *
 * <p>Against PyTorch in float64 and in float32 (what its users get) within 1e-5 relative, plus for
 * SiLU's derivative a couple of float epsilons of {@code s (1 + |x|)}: {@code s (1 + x (1 - s))}
 * rounds the sigmoid s to float, x multiplies that rounding, and the sum cancels near the
 * derivative's zero at x = -1.28; likewise for Mish's {@code t + x s (1 - t^2)}, whose zero is at
 * -1.19. Softplus's derivative, a sigmoid in (0, 1), keeps its relative precision. ELU's
 * {@code alpha (e^x - 1)} (and SELU's) is PyTorch 1.13's subtraction, which near 0 is exact only to an
 * epsilon of 1 (in float32 or float64), where Dendrite's expm1 keeps the relative precision: so y may
 * also differ by alpha epsilons there.
 */
class ActivationsPyTorchTest {
    private static final float[] X = inputs();
    private static final float[] DY = gradients();
    /** PyTorch's results per module: y and dx in float32, then in float64. */
    private static final java.util.Map<String, double[][]> TORCH = new java.util.concurrent.ConcurrentHashMap<>();

    @TempDir
    Path dir;

    /** -20 to 20 by 0.25, and the derivatives' zeros (SiLU's, Mish's), near 0, and where e^-x is tiny or huge. */
    private static float[] inputs() {
        float[] special = {-1.2785f, -1.1924f, -1e-3f, 1e-3f, 1e-30f, -30f, -60f, 40f, 90f};
        float[] x = new float[161 + special.length];
        for (int i = 0; i <= 160; i++) {
            x[i] = -20f + 0.25f * i;
        }
        System.arraycopy(special, 0, x, 161, special.length);
        return x;
    }

    private static float[] gradients() {
        float[] dy = new float[X.length];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = -2 + 4 * CounterRandom.uniform(9, i);
        }
        return dy;
    }

    /**
     * What may be added to the 1e-5 relative bound at an input x: to y's against PyTorch in float32 and
     * in float64, and to dx's per unit of |dy|.
     */
    private record Slack(DoubleUnaryOperator y32, DoubleUnaryOperator y64, DoubleUnaryOperator dx) {
        static final Slack NONE = new Slack(x -> 0, x -> 0, x -> 0);

        /** An exponential linear unit's {@code neg (e^x - 1)}, exact in PyTorch 1.13 only to an epsilon. */
        static Slack exponentialBelowZero(double neg) {
            return new Slack(x -> x > 0 ? 0 : neg * Math.ulp(1f), x -> x > 0 ? 0 : neg * Math.ulp(1.0), x -> 0);
        }
    }

    @OnEveryBackend
    void siluIsTorchs(String backend) throws Exception {
        compare(backend, new SiLU(), "SiLU()", new Slack(x -> 0, x -> 0,
                x -> 2 * Math.ulp(1f) * (1 + Math.abs(x)) / (1 + Math.exp(-x))));
    }

    @OnEveryBackend
    void softplusIsTorchs(String backend) throws Exception {
        compare(backend, new Softplus(), "Softplus()", Slack.NONE);
    }

    @OnEveryBackend
    void eluIsTorchs(String backend) throws Exception {
        compare(backend, new ELU(), "ELU()", Slack.exponentialBelowZero(1));
        compare(backend, new ELU(0.5f), "ELU(0.5)", Slack.exponentialBelowZero(0.5));
    }

    @OnEveryBackend
    void seluIsTorchs(String backend) throws Exception {
        compare(backend, new SELU(), "SELU()", Slack.exponentialBelowZero(1.7580993408473766));
    }

    @OnEveryBackend
    void mishIsTorchs(String backend) throws Exception {
        compare(backend, new Mish(), "Mish()", new Slack(x -> 0, x -> 0, x -> {
            double t = Math.tanh(Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))));
            return 2 * Math.ulp(1f) * (t + Math.abs(x) / (1 + Math.exp(-x)) * (1 - t * t));
        }));
    }

    /**
     * Hard swish away from its kinks on the grid; at 3 PyTorch's own CPU loops differ (its vectorized
     * loop returns 1; its scalar loop, which computes small tensors and remainders, returns 3/2, as CUDA's
     * kernel does), so the next test asks PyTorch for a tensor of two, which its scalar loop computes.
     */
    @OnEveryBackend
    void hardswishIsTorchs(String backend) throws Exception {
        compare(backend, new Hardswish(), "Hardswish()", Slack.NONE, x -> Math.abs(x) == 3);
    }

    @OnEveryBackend
    void hardswishAtItsKinksIsTorchsScalarAndCudaKernels(String backend) throws Exception {
        float[] kinks = {-3f, 3f};
        float[] dy = {1.5f, -0.75f};
        double[][] t = PyTorch.elementwiseGradients("torch.nn.Hardswish()", kinks, dy);
        Backend be = EveryBackend.get(backend);
        Hardswish layer = new Hardswish();
        layer.build(be, Shape.of(2), 1);
        try (Tensor x = be.tensor(kinks, 1, 2); Tensor g = be.tensor(dy, 1, 2)) {
            float[] y = layer.forward(x, true).toArray();
            float[] dx = layer.backward(g).toArray();
            for (int k = 0; k < 4; k += 2) {
                assertArrayEquals(new float[] {(float) t[k][0], (float) t[k][1]}, y, backend + " y at -3, 3");
                assertArrayEquals(new float[] {(float) t[k + 1][0], (float) t[k + 1][1]}, dx, backend + " dx at -3, 3");
            }
            assertArrayEquals(new float[] {-0.5f * 1.5f, 1.5f * -0.75f}, dx, backend + ": -1/2 and 3/2 times dy");
        }
    }

    private static void compare(String backend, ActivationLayer layer, String module, Slack slack)
            throws Exception {
        compare(backend, layer, module, slack, x -> false);
    }

    /** As above, dx left unchecked where {@code kink} holds. */
    private static void compare(String backend, ActivationLayer layer, String module, Slack slack,
            DoublePredicate kink) throws Exception {
        double[][] t = torch(module);
        Backend be = EveryBackend.get(backend);
        layer.build(be, Shape.of(X.length), 1);
        try (Tensor x = be.tensor(X, 1, X.length); Tensor dy = be.tensor(DY, 1, X.length)) {
            float[] y = layer.forward(x, true).toArray();
            float[] dx = layer.backward(dy).toArray();
            for (int i = 0; i < X.length; i++) {
                String at = backend + " " + layer + " at x = " + X[i];
                double rounding = Math.abs(DY[i]) * slack.dx().applyAsDouble(X[i]) + 1e-30;
                assertEquals(t[2][i], y[i], 1e-5 * Math.abs(t[2][i]) + 1e-30 + slack.y64().applyAsDouble(X[i]),
                        at + ": y vs float64");
                if (!kink.test(X[i])) {
                    assertEquals(t[3][i], dx[i], 1e-5 * Math.abs(t[3][i]) + rounding, at + ": dx vs float64");
                    assertEquals(t[1][i], dx[i], 1e-5 * Math.abs(t[1][i]) + rounding, at + ": dx vs float32");
                }
                assertEquals(t[0][i], y[i], 1e-5 * Math.abs(t[0][i]) + 1e-30 + slack.y32().applyAsDouble(X[i]),
                        at + ": y vs float32");
            }
        }
    }

    @Test
    void theyAreBuiltSavedAndLoadedLikeAnyLayer() throws Exception {
        Backend be = EveryBackend.get("scalar");
        Sequential m = Sequential.builder(3).dense(4).silu().dense(4).activation(Activation.SILU).dense(4).softplus()
                .dense(2).activation(Activation.SOFTPLUS).build(be, 7);
        assertEquals("silu", m.layer(1).type());
        assertEquals(Activation.SILU, ((SiLU) m.layer(3)).activation());
        assertEquals("SiLU()", m.layer(1).toString());
        assertEquals("Softplus()", m.layer(7).toString());
        Path f = dir.resolve("smooth.safetensors");
        ModelFile.save(m, f);
        Sequential loaded = ModelFile.load(f, be);
        List<String> types = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            types.add(loaded.layer(i).type());
        }
        assertEquals(List.of("dense", "silu", "dense", "silu", "dense", "softplus", "dense", "softplus"), types);
        float[] x = {0.1f, -0.4f, 2f, 1f, 0.5f, -1f};
        assertArrayEquals(m.predict(x, 2), loaded.predict(x, 2));
    }

    @Test
    void anEluKeepsItsAlphaThroughAModelFile() throws Exception {
        Backend be = EveryBackend.get("scalar");
        Sequential m = Sequential.builder(3).dense(4).elu(0.5f).dense(4).elu().dense(4).activation(Activation.ELU)
                .dense(2).build(be, 7);
        assertEquals("elu", m.layer(1).type());
        assertEquals("ELU(0.5)", m.layer(1).toString());
        assertEquals("ELU(1.0)", m.layer(5).toString());
        Path f = dir.resolve("elu.safetensors");
        ModelFile.save(m, f);
        Sequential loaded = ModelFile.load(f, be);
        assertEquals("ELU(0.5)", loaded.layer(1).toString());
        assertEquals("ELU(1.0)", loaded.layer(3).toString());
        float[] x = {0.1f, -0.4f, 2f, -3f, 0.5f, -1f};
        assertArrayEquals(m.predict(x, 2), loaded.predict(x, 2));
        assertThrows(IllegalArgumentException.class, () -> new ELU(Float.NaN));
    }

    /** A Mish round-trips like the others, and the dense layer before it starts He uniform, as before a ReLU. */
    @Test
    void aMishIsSavedAndLoadedAfterAHeUniformLayer() throws Exception {
        assertRoundTrip(Sequential.Builder::mish, Activation.MISH, "mish", "Mish()", "he_uniform");
    }

    /** A hard swish round-trips like the others, and the dense layer before it starts He uniform. */
    @Test
    void aHardswishIsSavedAndLoadedAfterAHeUniformLayer() throws Exception {
        assertRoundTrip(Sequential.Builder::hardswish, Activation.HARDSWISH, "hardswish", "Hardswish()",
                "he_uniform");
    }

    /** A SELU round-trips like the others, and the dense layer before it starts LeCun normal. */
    @Test
    void aSeluIsSavedAndLoadedAfterALeCunNormalLayer() throws Exception {
        assertRoundTrip(Sequential.Builder::selu, Activation.SELU, "selu", "SELU()", "lecun_normal");
    }

    /**
     * dense, the layer {@code add} appends, dense, the same activation through {@code activation(act)}, dense:
     * both are the layer of that type, the dense layer before the first starts with {@code init}, and a model
     * file gives back the same predictions.
     */
    private void assertRoundTrip(java.util.function.UnaryOperator<Sequential.Builder> add, Activation act,
            String type, String shown, String init) throws Exception {
        Backend be = EveryBackend.get("scalar");
        Sequential m = add.apply(Sequential.builder(3).dense(4)).dense(4).activation(act).dense(2).build(be, 7);
        assertEquals(type, m.layer(1).type());
        assertEquals(shown, m.layer(1).toString());
        assertEquals(type, m.layer(3).type());
        assertEquals(act, ((ActivationLayer) m.layer(3)).activation());
        assertEquals(init, m.layer(0).config().get("weight_init"));
        Path f = dir.resolve(type + ".safetensors");
        ModelFile.save(m, f);
        Sequential loaded = ModelFile.load(f, be);
        assertEquals(type, loaded.layer(3).type());
        float[] x = {0.1f, -0.4f, 2f, -3f, 0.5f, -1f};
        assertArrayEquals(m.predict(x, 2), loaded.predict(x, 2));
    }

    /** PyTorch's y and dx of {@code torch.nn.<module>} in float32, then in float64. */
    private static double[][] torch(String module) throws Exception {
        double[][] cached = TORCH.get(module);
        if (cached != null) {
            return cached;
        }
        double[][] out = PyTorch.elementwiseGradients("torch.nn." + module, X, DY);
        TORCH.put(module, out);
        return out;
    }
}
