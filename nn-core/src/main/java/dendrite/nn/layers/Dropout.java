package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;

import java.util.Map;
import java.util.Optional;

/**
 * Inverted dropout: in training each value is zeroed with probability {@code p} and the survivors are
 * scaled by {@code 1 / (1 - p)}, so evaluation (where the layer is the identity) needs no rescaling.
 *
 * <p>The mask comes from {@link Backend#bernoulliMask} with a seed derived from the layer's seed and
 * a counter of training passes: runs are repeatable and identical across backends. Backward multiplies
 * by the same mask: {@code dx = dy * mask}. The seed and the counter are the layer's
 * {@link #randomState()}, which checkpoints save, so a resumed run draws the masks an uninterrupted
 * one would have.
 */
public final class Dropout implements Layer {
    private final float p;
    private Backend be;
    private final RandomStream random = new RandomStream("dropout");
    private BatchBuffer mask;
    private BatchBuffer out;
    private BatchBuffer dx;
    private Tensor lastMask;
    private boolean lastTraining;

    /**
     * Inverted dropout that zeroes each value with probability {@code p} in training.
     *
     * @param p the probability of dropping a value, in [0, 1)
     * @throws IllegalArgumentException if {@code p} is outside [0, 1)
     */
    public Dropout(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout: p must be in [0, 1), got " + p);
        }
        this.p = (float) p;
    }

    @Override
    public String type() {
        return "dropout";
    }

    @Override
    public Map<String, Object> config() {
        return Map.of("p", (double) p);
    }

    /**
     * The probability of dropping a value.
     *
     * @return {@code p} as given at construction (as a float), in [0, 1)
     */
    public float p() {
        return p;
    }

    @Override
    public Shape outputShape(Shape in) {
        return in;
    }

    /** No parameters or buffers: nothing to allocate. */
    @Override
    public Optional<Map<String, int[]>> stateShapes(Shape in) {
        outputShape(in);
        return Optional.of(Map.of());
    }

    @Override
    public void build(Backend backend, Shape inputShape, long seed) {
        this.be = backend;
        random.seed(seed);
        mask = new BatchBuffer(backend, inputShape);
        out = new BatchBuffer(backend, inputShape);
        dx = new BatchBuffer(backend, inputShape);
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
        be.binary(BinaryOp.MUL, x, lastMask, y);
        return y;
    }

    /** The seed (from the model's seed and the layer's index) and the training passes so far. */
    @Override
    public Map<String, Long> randomState() {
        return random.state();
    }

    @Override
    public void restoreRandomState(Map<String, Long> state) {
        random.restore(state);
    }

    @Override
    public Tensor backward(Tensor dY) {
        if (!lastTraining || p == 0f) {
            return dY;
        }
        Tensor dX = dx.get(dY.dim(0));
        be.binary(BinaryOp.MUL, dY, lastMask, dX);
        return dX;
    }

    @Override
    public String toString() {
        return "Dropout(" + p + ")";
    }
}
