package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import java.util.Map;
import java.util.Optional;

/**
 * Channel dropout for images, as PyTorch's {@code Dropout2d}: in training each channel of each image
 * is zeroed whole with probability {@code p}, the surviving channels scaled by {@code 1 / (1 - p)};
 * in evaluation the layer is the identity. Neighbouring pixels are strongly correlated, so dropping
 * single pixels (plain {@link Dropout}) barely regularises a convolutional network; dropping whole
 * feature maps does.
 *
 * <p>One mask value per (image, channel), drawn as {@link Dropout}'s are (the layer's seed and a
 * counter of training passes, saved in checkpoints), applied to every pixel of its channel: each
 * image's channels seen as rows {@code [N * C, H * W]}, the mask as one column. Backward multiplies
 * by the same mask.
 */
public final class Dropout2d implements Layer {
    private final float p;
    private Backend be;
    private final RandomStream random = new RandomStream("dropout2d");
    private int channels;
    private int pixels;
    private BatchBuffer mask;
    private BatchBuffer out;
    private BatchBuffer dx;
    private final ViewCache maskColumn = new ViewCache();
    private final ViewCache inRows = new ViewCache();
    private final ViewCache outRows = new ViewCache();
    private final ViewCache gradRows = new ViewCache();
    private final ViewCache dxRows = new ViewCache();
    private Tensor lastMask;
    private boolean lastTraining;

    /**
     * Channel dropout that zeroes each channel of each image with probability {@code p} in training.
     *
     * @param p the probability of dropping a channel, in [0, 1)
     * @throws IllegalArgumentException if {@code p} is outside [0, 1)
     */
    public Dropout2d(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout2d: p must be in [0, 1), got " + p);
        }
        this.p = (float) p;
    }

    @Override
    public String type() {
        return "dropout2d";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("p", (double) p);
    }

    @Override
    public Shape outputShape(Shape in) {
        if (in.rank() != 3) {
            throw new LayerShapeException("[channels, height, width]", in,
                    "use dropout() (plain Dropout) on flat features");
        }
        return in;
    }

    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        return Optional.of(Map.of());
    }

    @Override
    public void build(Backend backend, Shape in, long seed) {
        outputShape(in);
        this.be = backend;
        random.seed(seed);
        this.channels = in.dim(0);
        this.pixels = in.dim(1) * in.dim(2);
        mask = new BatchBuffer(backend, Shape.of(channels));
        out = new BatchBuffer(backend, in);
        dx = new BatchBuffer(backend, in);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        lastTraining = training;
        if (!training || p == 0f) {
            return x;
        }
        int m = x.dim(0);
        lastMask = mask.get(m);
        float keep = 1f - p;
        be.bernoulliMask(random.next(), keep, 1f / keep, lastMask);
        Tensor y = out.get(m);
        be.binary(BinaryOp.MUL, inRows.of(x, m * channels, pixels), maskColumn.of(lastMask, m * channels, 1),
                outRows.of(y, m * channels, pixels));
        return y;
    }

    @Override
    public Tensor backward(Tensor dY) {
        if (!lastTraining || p == 0f) {
            return dY;
        }
        int m = dY.dim(0);
        Tensor dX = dx.get(m);
        be.binary(BinaryOp.MUL, gradRows.of(dY, m * channels, pixels), maskColumn.of(lastMask, m * channels, 1),
                dxRows.of(dX, m * channels, pixels));
        return dX;
    }

    /** As {@link Dropout}'s: the seed and the number of training passes. */
    @Override
    public Map<String, Long> randomState() {
        return random.state();
    }

    @Override
    public void restoreRandomState(Map<String, Long> state) {
        random.restore(state);
    }

    @Override
    public String toString() {
        return "Dropout2d(" + p + ")";
    }
}
