package dendrite.bench;

import dendrite.nn.Sequential;
import dendrite.tensor.Backend;

/**
 * The model every training and inference benchmark runs, and the PyTorch peer mirrors
 * (peers/torch_mlp.py): 784-256-128-10, ReLU between the layers, trained with softmax
 * cross-entropy and Adam at learning rate 1e-3 on shuffled mini-batches of 128.
 *
 * <p>Built layer by layer ({@code dense, relu, dense, relu, dense}), as PyTorch's
 * {@code nn.Sequential(Linear, ReLU, Linear, ReLU, Linear)} and Dendrite's CLI build it.
 */
final class Mlp {
    static final int INPUTS = 784;
    static final int HIDDEN1 = 256;
    static final int HIDDEN2 = 128;
    static final int CLASSES = 10;
    static final int BATCH = 128;
    static final double LEARNING_RATE = 1e-3;
    /** Weights and shuffles come from this seed, so every backend starts from the same model. */
    static final long SEED = 42;

    private Mlp() {
    }

    static Sequential build(Backend backend) {
        return Sequential.builder(INPUTS)
                .dense(HIDDEN1).relu()
                .dense(HIDDEN2).relu()
                .dense(CLASSES)
                .build(backend, SEED);
    }

    /** Floating-point operations of one forward pass of one sample (2 per multiply-add). */
    static long forwardFlopsPerSample() {
        return 2L * (INPUTS * HIDDEN1 + HIDDEN1 * HIDDEN2 + HIDDEN2 * CLASSES);
    }
}
