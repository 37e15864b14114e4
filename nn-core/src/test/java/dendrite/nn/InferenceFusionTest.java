package dendrite.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dendrite.nn.layers.ActivationLayer;
import dendrite.nn.layers.BatchNorm2d;
import dendrite.nn.layers.Conv2d;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.MaxPool2d;
import dendrite.nn.layers.ReLU;
import dendrite.tensor.Backend;
import dendrite.tensor.Scope;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.Activation;
import java.util.List;
import java.util.Optional;

/**
 * Promise: predictions run a convolution and the activation layer after it as one call
 * ({@code Layer.fusedForInference}), and give the model's own forward pass, bit for bit, on every
 * backend and batch size; a convolution followed by anything else, or by an application's own
 * activation layer, runs as it is; the joined copy refuses to train.
 */
class InferenceFusionTest {
    /**
     * An application's own activation layer that copies itself (the default copy of a parameterless
     * layer is rebuilt from its type, here nn-core's ReLU): its forward pass is its business, so it is
     * never fused.
     */
    static final class OwnRelu extends ActivationLayer {
        OwnRelu() {
            super(Activation.RELU, 0f);
        }

        @Override
        public Optional<Layer> replicaForInference(Backend backend, Shape inputShape) {
            OwnRelu copy = new OwnRelu();
            copy.build(backend, inputShape, 0L);
            return Optional.of(copy);
        }
    }

    /** conv+ReLU (fused), pool, conv "same"+leaky ReLU (fused), conv+batch norm+ReLU (not), conv+own ReLU (not). */
    private static Sequential model(Backend be) {
        return Sequential.builder(3, 15, 13)
                .conv2d(8, 3).relu().maxPool2d(2)
                .conv2dSame(12, 3).leakyRelu(0.2f)
                .conv2d(6, 2).batchNorm2d().relu()
                .conv2d(5, 1).add(new OwnRelu())
                .flatten().dense(4).build(be, 11);
    }

    @OnEveryBackend
    void predictionsEqualTheUnfusedForwardPass(String backend) {
        Backend be = EveryBackend.get(backend);
        Sequential model = model(be);
        int in = model.inputShape().size();
        for (int n : new int[] {1, 5, 64}) {
            float[] x = PredictorTest.samples(n, n, in);
            float[] unfused;
            try (Scope scope = Scope.open()) {
                Tensor xt = be.tensor(x, n, 3, 15, 13);
                unfused = model.forward(xt, false).toArray();
            }
            assertArrayEquals(unfused, model.predict(x, n), backend + ", " + n + " samples");
            assertArrayEquals(unfused, model.predictor().predict(x, n), backend + ", predictor, " + n + " samples");
        }
    }

    @OnEveryBackend
    void onlyAConvolutionAndNnCoresActivationAfterItAreJoined(String backend) {
        Backend be = EveryBackend.get(backend);
        Sequential model = model(be);
        List<Layer> run = model.inferenceReplicas().orElseThrow();
        assertEquals(model.layers().size() - 2, run.size(), "two pairs joined: " + run);
        assertTrue(run.get(0) instanceof Conv2d && run.get(1) instanceof MaxPool2d, run.toString());
        assertTrue(run.get(2) instanceof Conv2d && run.get(3) instanceof Conv2d, run.toString());
        assertTrue(run.get(4) instanceof BatchNorm2d && run.get(5) instanceof ReLU, run.toString());
        assertTrue(run.get(6) instanceof Conv2d && run.get(7) instanceof OwnRelu, run.toString());
    }

    @OnEveryBackend
    void theJoinedCopyRefusesToTrain(String backend) {
        Backend be = EveryBackend.get(backend);
        Sequential model = model(be);
        Layer joined = model.inferenceReplicas().orElseThrow().get(0);
        try (Scope scope = Scope.open()) {
            joined.forward(be.zeros(2, 3, 15, 13), false);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> joined.backward(be.zeros(2, 8, 13, 11)));
            assertTrue(e.getMessage().contains("relu fused in for predictions only"), e.getMessage());
        }
    }
}
