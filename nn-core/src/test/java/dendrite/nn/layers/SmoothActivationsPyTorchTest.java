package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SiLU} and {@link Softplus} give PyTorch's {@code nn.SiLU()} and {@code nn.Softplus()},
 * forward and backward, on inputs from -20 to 20 and where they turn, compared with PyTorch run here,
 * on every backend; and they are layers like the others: built by {@code silu()}, {@code softplus()}
 * and {@code activation(...)}, recorded in a model file by type and loaded back.
 *
 * <p>Against PyTorch in float64 and in float32 (what its users get) within 1e-5 relative, plus for
 * SiLU's derivative a couple of float epsilons of {@code s (1 + |x|)}: {@code s (1 + x (1 - s))}
 * rounds the sigmoid s to float, x multiplies that rounding, and the sum cancels near the
 * derivative's zero at x = -1.28. Softplus's derivative, a sigmoid in (0, 1), keeps its relative
 * precision.
 */
class SmoothActivationsPyTorchTest {
    private static final float[] X = inputs();
    private static final float[] DY = gradients();
    /** PyTorch's results per module: y and dx in float32, then in float64. */
    private static final java.util.Map<String, double[][]> TORCH = new java.util.concurrent.ConcurrentHashMap<>();

    @TempDir
    Path dir;

    /** -20 to 20 by 0.25, and the derivative's zero, 0 and near it, and where e^-x is tiny or huge. */
    private static float[] inputs() {
        float[] special = {-1.2785f, -1e-3f, 1e-3f, 1e-30f, -30f, -60f, 40f, 90f};
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

    @OnEveryBackend
    void siluIsTorchs(String backend) throws Exception {
        compare(backend, new SiLU(), "SiLU");
    }

    @OnEveryBackend
    void softplusIsTorchs(String backend) throws Exception {
        compare(backend, new Softplus(), "Softplus");
    }

    private static void compare(String backend, ActivationLayer layer, String module) throws Exception {
        double[][] t = torch(module);
        Backend be = EveryBackend.get(backend);
        layer.build(be, Shape.of(X.length), 1);
        try (Tensor x = be.tensor(X, 1, X.length); Tensor dy = be.tensor(DY, 1, X.length)) {
            float[] y = layer.forward(x, true).toArray();
            float[] dx = layer.backward(dy).toArray();
            for (int i = 0; i < X.length; i++) {
                String at = backend + " " + layer + " at x = " + X[i];
                double s = 1 / (1 + Math.exp(-X[i]));
                double rounding = layer instanceof SiLU ? Math.abs(DY[i]) * 2 * Math.ulp(1f) * s * (1 + Math.abs(X[i]))
                        : 1e-30;
                assertEquals(t[2][i], y[i], 1e-5 * Math.abs(t[2][i]) + 1e-30, at + ": y vs float64");
                assertEquals(t[3][i], dx[i], 1e-5 * Math.abs(t[3][i]) + rounding, at + ": dx vs float64");
                assertEquals(t[0][i], y[i], 1e-5 * Math.abs(t[0][i]) + 1e-30, at + ": y vs float32");
                assertEquals(t[1][i], dx[i], 1e-5 * Math.abs(t[1][i]) + rounding, at + ": dx vs float32");
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

    /** PyTorch's y and dx of {@code torch.nn.<module>()} in float32, then in float64. */
    private static double[][] torch(String module) throws Exception {
        double[][] cached = TORCH.get(module);
        if (cached != null) {
            return cached;
        }
        double[][] out = PyTorch.elementwiseGradients("torch.nn." + module + "()", X, DY);
        TORCH.put(module, out);
        return out;
    }
}
