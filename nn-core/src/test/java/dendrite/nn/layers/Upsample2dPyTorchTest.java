package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.nn.PyTorch;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.CounterRandom;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@link Upsample2d} computes what PyTorch's {@code nn.Upsample} computes, on every backend: the output and
 * dL/dx for a loss {@code sum(out * g)} with a fixed g, within 1e-5 relative of PyTorch in float64. A batch
 * of 3 images {@code [2, 5, 7]} (sides that are multiples of nothing, so an index off by one lands on
 * another pixel) grown by 2 and by 3 x 2, in nearest mode, bilinear, and bilinear with
 * {@code align_corners=True}; and images one pixel high grown by 1 x 3, where aligned corners divide by
 * {@code out - 1 = 0} along the height and PyTorch reads pixel 0.
 */
class Upsample2dPyTorchTest {
    private static final int BATCH = 3;
    private static final Shape IMAGES = Shape.of(2, 5, 7);

    @OnEveryBackend
    void nearest(String backend) throws Exception {
        compare(backend, new Upsample2d(2), IMAGES);
        compare(backend, new Upsample2d(3, 2, Upsample2d.Mode.NEAREST, false), IMAGES);
    }

    @OnEveryBackend
    void bilinear(String backend) throws Exception {
        compare(backend, new Upsample2d(2, Upsample2d.Mode.BILINEAR), IMAGES);
        compare(backend, new Upsample2d(3, 2, Upsample2d.Mode.BILINEAR, false), IMAGES);
    }

    @OnEveryBackend
    void bilinearWithAlignedCorners(String backend) throws Exception {
        compare(backend, new Upsample2d(2, 2, Upsample2d.Mode.BILINEAR, true), IMAGES);
        compare(backend, new Upsample2d(3, 2, Upsample2d.Mode.BILINEAR, true), IMAGES);
    }

    @OnEveryBackend
    void imagesOnePixelHighWithAndWithoutAlignedCorners(String backend) throws Exception {
        compare(backend, new Upsample2d(1, 3, Upsample2d.Mode.BILINEAR, true), Shape.of(2, 1, 4));
        compare(backend, new Upsample2d(1, 3, Upsample2d.Mode.BILINEAR, false), Shape.of(2, 1, 4));
    }

    private static float[] values(long seed, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 2 * CounterRandom.uniform(seed, i) - 1;
        }
        return v;
    }

    private static void compare(String backend, Upsample2d layer, Shape sample) throws Exception {
        Backend be = EveryBackend.get(backend);
        layer.build(be, sample, 1);
        Shape outSample = layer.outputShape(sample);
        float[] x = values(3, BATCH * sample.size());
        float[] g = values(5, BATCH * outSample.size());
        Map<String, float[]> mine = new LinkedHashMap<>();
        try (Tensor xs = be.tensor(x, BATCH, sample.dim(0), sample.dim(1), sample.dim(2));
                Tensor dOut = be.tensor(g, BATCH, outSample.dim(0), outSample.dim(1), outSample.dim(2))) {
            mine.put("out", layer.forward(xs, true).toArray());
            mine.put("dx", layer.backward(dOut).toArray());
        }
        // PyTorch takes align_corners in bilinear mode only (nearest refuses even False).
        String corners = layer.mode() == Upsample2d.Mode.BILINEAR
                ? ", align_corners=" + (layer.alignCorners() ? "True" : "False") : "";
        String module = String.format(Locale.ROOT, "torch.nn.Upsample(scale_factor=(%d, %d), mode='%s'%s)",
                layer.scaleHeight(), layer.scaleWidth(), layer.mode().label(), corners);
        String shape = String.format(Locale.ROOT, "%d, %d, %d, %d", BATCH, sample.dim(0), sample.dim(1), sample.dim(2));
        Map<String, double[]> theirs = PyTorch.moduleGradients(module, shape, x, g, Map.of());
        assertEquals(theirs.keySet(), mine.keySet(), "the output and the input gradient");
        for (String name : theirs.keySet()) {
            double[] expected = theirs.get(name);
            float[] actual = mine.get(name);
            assertEquals(expected.length, actual.length, name + "'s size");
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])), backend + " "
                        + layer + " on " + sample + ": " + name + "[" + i + "]");
            }
        }
    }
}
