package dendrite.bench;

import dendrite.nn.Sequential;
import dendrite.tensor.Backend;

/**
 * The preset CNN of {@code dendrite train --model cnn}, which the training and inference benchmarks
 * run beside the {@link Mlp} and the PyTorch peer mirrors ({@code peers/torch_mlp.py --model cnn}):
 * on {@code [1, 28, 28]} images, conv 32 3x3, ReLU, max pool 2, conv 64 3x3, ReLU, max pool 2,
 * flatten, dense 128, ReLU, dense 10; trained as the MLP is (softmax cross-entropy, Adam at 1e-3,
 * batches of 128).
 */
final class Cnn {
    static final int[] INPUT = {1, 28, 28};

    private Cnn() {
    }

    static Sequential build(Backend backend) {
        return Sequential.builder(INPUT)
                .conv2d(32, 3).relu().maxPool2d(2)
                .conv2d(64, 3).relu().maxPool2d(2)
                .flatten().dense(128).relu()
                .dense(Mlp.CLASSES)
                .build(backend, Mlp.SEED);
    }
}
