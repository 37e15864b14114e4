package dendrite.nn.train;

import dendrite.nn.Sequential;
import dendrite.nn.TestBackend;
import dendrite.nn.losses.Loss;
import dendrite.nn.losses.Losses;
import dendrite.nn.optim.Adam;
import dendrite.nn.optim.Optimizer;
import dendrite.tensor.Backend;
import dendrite.tensor.Scope;
import dendrite.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A steady training step allocates no tensors: every tensor a backend makes while a {@link Scope} is
 * open is registered with it, so the scope's size counts allocations.
 */
class SteadyStepAllocationTest {
    private final Backend be = TestBackend.get();

    @Test
    void aSteadyStepAllocatesNoTensorsEvenWithASmallerLastBatch() {
        Sequential model = Sequential.builder(6).dense(16).batchNorm().relu().dropout(0.3).dense(8).gelu()
                .dense(3).softmax().build(be, 1);
        Loss loss = Losses.mse();
        Optimizer opt = new Adam(1e-3).clipGradNorm(1.0);
        Tensor data = be.full(0.5f, 10, 6);
        Tensor targets = be.full(0.2f, 10, 3);
        int[] order = {3, 1, 4, 0, 5, 9, 2, 6, 8, 7};
        Tensor xFull = be.zeros(8, 6);
        Tensor yFull = be.zeros(8, 3);
        Tensor xSmall = xFull.rows(0, 2);
        Tensor ySmall = yFull.rows(0, 2);
        // Warm-up: one big and one small batch grow every buffer and create the optimizer's state.
        step(model, loss, opt, data, targets, order, xFull, yFull, 0);
        step(model, loss, opt, data, targets, order, xSmall, ySmall, 8);
        try (Scope scope = Scope.open()) {
            for (int i = 0; i < 3; i++) {
                step(model, loss, opt, data, targets, order, xFull, yFull, 0);
                step(model, loss, opt, data, targets, order, xSmall, ySmall, 8);
            }
            assertEquals(0, scope.size(), "tensors allocated during steady steps");
        }
    }

    /** A graph with fan-out, a residual block with batch norm, a concatenation and two named inputs. */
    @Test
    void aSteadyGraphStepAllocatesNoTensors() {
        dendrite.nn.graph.Graph g = dendrite.nn.graph.Graph.builder()
                .input("image", 2, 5, 5).input("meta", 3)
                .layer("block", dendrite.nn.graph.Blocks.residual(2, 4, 2), "image")
                .layer("flat", new dendrite.nn.layers.Flatten(), "block")
                .layer("m", new dendrite.nn.layers.Dense(4), "meta")
                .concat("joined", 0, "flat", "m")
                .layer("out", new dendrite.nn.layers.Dense(3), "joined")
                .build();
        Sequential model = Sequential.builder(53).add(g).build(be, 2);
        Loss loss = Losses.softmaxCrossEntropy();
        Optimizer opt = new Adam(1e-3);
        float[] values = new float[8 * 53];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i * 0.37);
        }
        Tensor data = be.tensor(values, 8, 53);
        Tensor targets = be.tensor(new float[] {0, 1, 2, 0, 1, 2, 0, 1}, 8);
        int[] order = {3, 1, 4, 0, 5, 7, 2, 6};
        Tensor x = be.zeros(4, 53);
        Tensor y = be.zeros(4);
        step(model, loss, opt, data, targets, order, x, y, 0);
        step(model, loss, opt, data, targets, order, x, y, 4);
        try (Scope scope = Scope.open()) {
            for (int i = 0; i < 3; i++) {
                step(model, loss, opt, data, targets, order, x, y, 0);
                step(model, loss, opt, data, targets, order, x, y, 4);
            }
            assertEquals(0, scope.size(), "tensors allocated during steady steps of a graph");
        }
    }

    @Test
    void fitAllocatesNoTensorsAfterItsFirstEpoch() {
        Sequential model = Sequential.builder(2).dense(16).relu().dropout(0.2).dense(2).build(be, 1);
        int[] allocated = {-1};
        Scope[] scope = new Scope[1];
        Trainer.builder(model).loss(Losses.softmaxCrossEntropy()).optimizer(new Adam(1e-2))
                .epochs(2).batchSize(16)
                .listener(new TrainingListener() {
                    @Override
                    public void onStepEnd(StepEvent s) {
                        if (s.epoch() == 0 && s.batch() == s.batches() - 1) {
                            scope[0] = Scope.open();       // counts every tensor made in epoch 1
                        }
                    }

                    @Override
                    public void onEpochEnd(EpochEvent e) {
                        if (e.epoch() == 1) {
                            allocated[0] = scope[0].size();
                            scope[0].close();
                        }
                    }
                }).build().fit(dendrite.nn.data.Synthetic.twoMoons(40, 0.1, 3));   // batches of 16, 16 and 8
        assertEquals(0, allocated[0], "tensors allocated by fit's steady steps");
    }

    private static void step(Sequential model, Loss loss, Optimizer opt, Tensor data, Tensor targets, int[] order,
            Tensor x, Tensor y, int from) {
        Backend be = model.backend();
        be.gatherRows(data, order, from, x);
        be.gatherRows(targets, order, from, y);
        loss.forward(model.forward(x, true), y).item();
        model.backward(loss.backward());
        opt.step(model.namedParameters());
    }
}
