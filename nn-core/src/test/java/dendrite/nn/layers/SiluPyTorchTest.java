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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SiLU} gives PyTorch's {@code nn.SiLU()}, forward and backward, on inputs from -20 to 20 and
 * where it turns, compared with PyTorch run here, on every backend; and it is a layer like the others:
 * built by {@code silu()} and {@code activation(SILU)}, recorded in a model file as {@code silu} and
 * loaded back.
 *
 * <p>Against PyTorch in float64 within 1e-5 relative, plus for the derivative a couple of float
 * epsilons of {@code s (1 + |x|)}: {@code s (1 + x (1 - s))} rounds the sigmoid s to float, x
 * multiplies that rounding, and the sum cancels near the derivative's zero at x = -1.28. Against
 * PyTorch in float32, what its users get, within the same bound: both compute the same formulas in
 * float, with their own exp.
 */
class SiluPyTorchTest {
    private static final float[] X = inputs();
    private static final float[] DY = gradients();
    private static volatile double[][] torch;

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
        double[][] t = torch();
        Backend be = EveryBackend.get(backend);
        SiLU layer = new SiLU();
        layer.build(be, Shape.of(X.length), 1);
        try (Tensor x = be.tensor(X, 1, X.length); Tensor dy = be.tensor(DY, 1, X.length)) {
            float[] y = layer.forward(x, true).toArray();
            float[] dx = layer.backward(dy).toArray();
            for (int i = 0; i < X.length; i++) {
                String at = backend + " " + layer + " at x = " + X[i];
                double s = 1 / (1 + Math.exp(-X[i]));
                double rounding = Math.abs(DY[i]) * 2 * Math.ulp(1f) * s * (1 + Math.abs(X[i]));
                assertEquals(t[2][i], y[i], 1e-5 * Math.abs(t[2][i]) + 1e-30, at + ": y vs float64");
                assertEquals(t[3][i], dx[i], 1e-5 * Math.abs(t[3][i]) + rounding, at + ": dx vs float64");
                assertEquals(t[0][i], y[i], 1e-5 * Math.abs(t[0][i]) + 1e-30, at + ": y vs float32");
                assertEquals(t[1][i], dx[i], 1e-5 * Math.abs(t[1][i]) + rounding, at + ": dx vs float32");
            }
        }
    }

    @Test
    void itIsBuiltSavedAndLoadedLikeAnyLayer() throws Exception {
        Backend be = EveryBackend.get("scalar");
        Sequential m = Sequential.builder(3).dense(4).silu().dense(4).activation(Activation.SILU).dense(2)
                .build(be, 7);
        assertEquals("silu", m.layer(1).type());
        assertEquals(Activation.SILU, ((SiLU) m.layer(3)).activation());
        assertEquals("SiLU()", m.layer(1).toString());
        Path f = dir.resolve("silu.safetensors");
        ModelFile.save(m, f);
        Sequential loaded = ModelFile.load(f, be);
        assertEquals(List.of("dense", "silu", "dense", "silu", "dense"),
                List.of(loaded.layer(0).type(), loaded.layer(1).type(), loaded.layer(2).type(),
                        loaded.layer(3).type(), loaded.layer(4).type()));
        float[] x = {0.1f, -0.4f, 2f, 1f, 0.5f, -1f};
        assertArrayEquals(m.predict(x, 2), loaded.predict(x, 2));
    }

    /** PyTorch's y and dx in float32, then in float64. */
    private static double[][] torch() throws Exception {
        double[][] cached = torch;
        if (cached != null) {
            return cached;
        }
        String code = String.format(Locale.ROOT, """
                import torch
                silu = torch.nn.SiLU()
                for dtype in (torch.float32, torch.float64):
                    x = torch.tensor([%s], dtype=torch.float32).to(dtype).requires_grad_()
                    dy = torch.tensor([%s], dtype=torch.float32).to(dtype)
                    y = silu(x)
                    y.backward(dy)
                    print(' '.join(repr(v) for v in y.detach().tolist()))
                    print(' '.join(repr(v) for v in x.grad.tolist()))
                """, PyTorch.list(X), PyTorch.list(DY));
        String[] lines = PyTorch.runCode(code).strip().split("\n");
        double[][] out = new double[4][];
        for (int k = 0; k < 4; k++) {
            out[k] = Arrays.stream(lines[lines.length - 4 + k].trim().split(" ")).mapToDouble(Double::parseDouble)
                    .toArray();
        }
        torch = out;
        return out;
    }
}
