package dendrite.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.EveryBackend;
import dendrite.nn.OnEveryBackend;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

/** Dropout2d drops whole channels, scales the rest, passes gradients through the same mask. */
class Dropout2dTest {

    @OnEveryBackend
    void wholeChannelsAreDroppedAndTheRestScaled(String backend) {
        Backend be = EveryBackend.get(backend);
        int m = 40, c = 5, h = 3, w = 4;
        Dropout2d layer = new Dropout2d(0.4);
        layer.build(be, Shape.of(c, h, w), 7);
        float[] x = new float[m * c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = 1 + i % 13;
        }
        Tensor in = be.tensor(x, m, c, h, w);
        float[] y = layer.forward(in, true).toArray();
        float[] dx = layer.backward(be.full(1f, m, c, h, w)).toArray();
        int dropped = 0;
        for (int plane = 0; plane < m * c; plane++) {
            boolean zero = y[plane * h * w] == 0f;
            dropped += zero ? 1 : 0;
            for (int p = 0; p < h * w; p++) {
                int i = plane * h * w + p;
                float expected = zero ? 0f : x[i] / 0.6f;
                assertEquals(expected, y[i], 1e-5f * Math.abs(expected), "plane " + plane + " is dropped whole or kept whole");
                assertEquals(zero ? 0f : 1f / 0.6f, dx[i], 1e-6f, "the gradient goes through the same mask");
            }
        }
        // 200 channels, each dropped with probability 0.4: 80 expected, 6.9 standard deviations
        assertTrue(dropped > 50 && dropped < 110, dropped + " of 200 channels dropped");
        assertSame(in, layer.forward(in, false), "the identity in evaluation");
    }
}
