package dendrite.nn.diag;

import dendrite.nn.TestBackend;
import dendrite.nn.layers.BatchBuffer;
import dendrite.nn.layers.Layer;
import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker catches a wrong backward, so its passes elsewhere mean something. */
class GradientCheckerTest {
    private final Backend be = TestBackend.get();

    /** y = 2x, with a backward that returns 3 dy (a user's typical slip). */
    static final class WrongDouble implements Layer {
        private final float backwardFactor;
        private Backend backend;
        private BatchBuffer out;
        private BatchBuffer dx;

        WrongDouble(float backwardFactor) {
            this.backwardFactor = backwardFactor;
        }

        @Override
        public String type() {
            return "double";
        }

        @Override
        public Shape outputShape(Shape in) {
            return in;
        }

        @Override
        public void build(Backend b, Shape in, long seed) {
            backend = b;
            out = new BatchBuffer(b, in);
            dx = new BatchBuffer(b, in);
        }

        @Override
        public Tensor forward(Tensor x, boolean training) {
            Tensor y = out.get(x.dim(0));
            backend.affine(x, 2f, 0f, y);
            return y;
        }

        @Override
        public Tensor backward(Tensor dOut) {
            Tensor d = dx.get(dOut.dim(0));
            backend.affine(dOut, backwardFactor, 0f, d);
            return d;
        }
    }

    @Test
    void aCorrectCustomLayerPasses() {
        GradientChecker.Report r = new GradientChecker().checkLayer(new WrongDouble(2f), be, Shape.of(3), 4, true);
        assertTrue(r.passed(2e-3), r.toString());
    }

    @Test
    void aWrongBackwardFails() {
        GradientChecker.Report r = new GradientChecker().checkLayer(new WrongDouble(3f), be, Shape.of(3), 4, true);
        assertFalse(r.passed(0.1), r.toString());
        assertTrue(r.maxRelativeError().get("input") > 0.1, r.toString());
    }
}
