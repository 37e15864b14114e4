package dendrite.nn.graph;

import dendrite.nn.layers.BatchNorm2d;
import dendrite.nn.layers.Conv2d;
import dendrite.nn.layers.ReLU;

/**
 * Ready-made graphs for common blocks, each an ordinary {@link Graph} to put in a model.
 */
public final class Blocks {
    private Blocks() {
    }

    /**
     * The basic residual block of ResNet-18/34 (He et al. 2016; torchvision's {@code BasicBlock}):
     * two 3×3 convolutions with batch normalization, the block's input added back before the last
     * ReLU. When the block changes the channel count or the stride, the input goes through a 1×1
     * convolution and batch normalization of its own (the "projection shortcut") so the two can be
     * added. Node names: {@code conv1}, {@code bn1}, {@code relu1}, {@code conv2}, {@code bn2},
     * ({@code shortcut_conv}, {@code shortcut_bn}), {@code sum}, {@code out}.
     *
     * <pre>{@code
     * Sequential.builder(1, 28, 28)
     *         .conv2d(32, 3, 1, 1).batchNorm2d().relu()
     *         .add(Blocks.residual(32, 32, 1))
     *         .add(Blocks.residual(32, 64, 2))        // halves the image, doubles the channels
     *         .globalAvgPool2d().dense(10)
     * }</pre>
     *
     * @param inChannels  the channels of the block's input
     * @param outChannels the channels of its output
     * @param stride      1 to keep the image size, 2 to halve it (in the first convolution and the shortcut)
     * @return the block, unbuilt
     * @throws IllegalArgumentException if a count or the stride is below 1
     */
    public static Graph residual(int inChannels, int outChannels, int stride) {
        if (inChannels < 1 || outChannels < 1 || stride < 1) {
            throw new IllegalArgumentException("residual block: channels and stride must be at least 1, got "
                    + inChannels + " -> " + outChannels + ", stride " + stride);
        }
        GraphBuilder b = Graph.builder()
                .layer("conv1", conv(inChannels, outChannels, 3, stride, 1), "input")
                .layer("bn1", new BatchNorm2d(), "conv1")
                .layer("relu1", new ReLU(), "bn1")
                .layer("conv2", conv(outChannels, outChannels, 3, 1, 1), "relu1")
                .layer("bn2", new BatchNorm2d(), "conv2");
        String shortcut = "input";
        if (inChannels != outChannels || stride != 1) {
            b.layer("shortcut_conv", conv(inChannels, outChannels, 1, stride, 0), "input")
                    .layer("shortcut_bn", new BatchNorm2d(), "shortcut_conv");
            shortcut = "shortcut_bn";
        }
        return b.add("sum", "bn2", shortcut).layer("out", new ReLU(), "sum").build();
    }

    /** A square convolution without bias (batch normalization follows, whose shift makes a bias redundant). */
    private static Conv2d conv(int in, int out, int kernel, int stride, int pad) {
        return new Conv2d(in, out, kernel, kernel, stride, stride, pad, pad, false, 1, 1, 1, false, null);
    }
}
