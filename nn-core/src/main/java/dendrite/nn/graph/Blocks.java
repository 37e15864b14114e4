package dendrite.nn.graph;

import dendrite.nn.layers.BatchNorm2d;
import dendrite.nn.layers.Conv2d;
import dendrite.nn.layers.Dense;
import dendrite.nn.layers.Dropout;
import dendrite.nn.layers.GELU;
import dendrite.nn.layers.Layer;
import dendrite.nn.layers.LayerNorm;
import dendrite.nn.layers.MultiheadAttention;
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

    /**
     * PyTorch's {@code nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, activation,
     * layer_norm_eps, batch_first=True, norm_first)} on {@code [time, dModel]} samples: self-attention,
     * then a two-layer feed-forward network applied to every step, each added back to its input, with
     * layer normalization after each sum (post-norm, the original Transformer's) or before each
     * sub-layer ({@code normFirst}, which trains more stably when layers are stacked deep).
     *
     * <p>The nodes carry PyTorch's module names, so the parameters are {@code self_attn.in_proj_weight},
     * {@code self_attn.in_proj_bias}, {@code self_attn.out_proj.weight}, {@code self_attn.out_proj.bias},
     * {@code linear1.*}, {@code linear2.*}, {@code norm1.*} and {@code norm2.*}, and a PyTorch layer's
     * state dict loads by name. With {@code dropout} 0 the dropout nodes are left out.
     *
     * @param dModel          the features per step
     * @param heads           the attention heads, dividing {@code dModel}
     * @param feedforward     the hidden width of the feed-forward network (PyTorch's default is 2048)
     * @param dropout         the dropout on the attention weights, after attention, and inside and after the
     *                        feed-forward network, as PyTorch applies it; in [0, 1)
     * @param gelu            {@code true} for GELU in the feed-forward network, {@code false} for ReLU (PyTorch's default)
     * @param normFirst       {@code true} for pre-norm, {@code false} for post-norm (PyTorch's default)
     * @param causal          {@code true} to let each step attend only to itself and earlier steps
     * @return the layer as a graph, unbuilt
     * @throws IllegalArgumentException if a size is below 1, {@code heads} does not divide {@code dModel}, or
     *                                  {@code dropout} is outside [0, 1)
     */
    public static Graph transformerEncoder(int dModel, int heads, int feedforward, double dropout, boolean gelu,
            boolean normFirst, boolean causal) {
        if (feedforward < 1) {
            throw new IllegalArgumentException("transformer encoder: the feed-forward width must be at least 1, got "
                    + feedforward);
        }
        MultiheadAttention attention = new MultiheadAttention(dModel, heads, true, causal, false, dropout);
        Layer activation = gelu ? new GELU() : new ReLU();
        GraphBuilder b = Graph.builder();
        Chain c = new Chain(b, dropout);
        if (normFirst) {
            c.then("norm1", norm(dModel), "input").then("self_attn", attention).dropout("dropout1");
            b.add("sum1", "input", c.last);
            c.last = "sum1";
            c.then("norm2", norm(dModel)).then("linear1", new Dense(dModel, feedforward)).then("activation", activation)
                    .dropout("dropout").then("linear2", new Dense(feedforward, dModel)).dropout("dropout2");
            b.add("sum2", "sum1", c.last);
        } else {
            c.then("self_attn", attention, "input").dropout("dropout1");
            b.add("sum1", "input", c.last);
            c.last = "sum1";
            c.then("norm1", norm(dModel)).then("linear1", new Dense(dModel, feedforward)).then("activation", activation)
                    .dropout("dropout").then("linear2", new Dense(feedforward, dModel)).dropout("dropout2");
            b.add("sum2", "norm1", c.last);
            b.layer("norm2", norm(dModel), "sum2");
        }
        return b.build();
    }

    private static LayerNorm norm(int dModel) {
        return new LayerNorm(dModel, 1e-5, true);
    }

    /** Adds layer nodes one after another, each taking the previous one's value. */
    private static final class Chain {
        private final GraphBuilder builder;
        private final double dropout;
        private String last;

        Chain(GraphBuilder builder, double dropout) {
            if (!(dropout >= 0 && dropout < 1)) {
                throw new IllegalArgumentException("transformer encoder: dropout must be in [0, 1), got " + dropout);
            }
            this.builder = builder;
            this.dropout = dropout;
        }

        Chain then(String name, Layer layer, String input) {
            builder.layer(name, layer, input);
            last = name;
            return this;
        }

        Chain then(String name, Layer layer) {
            return then(name, layer, last);
        }

        Chain dropout(String name) {
            return dropout > 0 ? then(name, new Dropout(dropout)) : this;
        }
    }

    /** A square convolution without bias (batch normalization follows, whose shift makes a bias redundant). */
    private static Conv2d conv(int in, int out, int kernel, int stride, int pad) {
        return new Conv2d(in, out, kernel, kernel, stride, stride, pad, pad, false, 1, 1, 1, false, null);
    }
}
