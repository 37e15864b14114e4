package dendrite.nn.layers;

import dendrite.tensor.Backend;
import dendrite.tensor.Shape;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;
import dendrite.tensor.op.CounterRandom;

import java.util.List;
import java.util.Map;

/**
 * PyTorch's {@code dropout} of a multi-layer recurrent module: in training, inverted dropout on the
 * outputs of every layer but the last ({@link RecurrentStack}), one mask per gap between layers.
 *
 * <p>The masks are counter-based as {@link Dropout}'s: each training forward draws one seed from the
 * stream ({@link RandomStream}: the layer's seed and a pass counter, its whole state, which
 * checkpoints save), and gap g's mask is drawn from {@code CounterRandom.bits(that seed, g)}, so a run
 * is repeatable on every backend and a resumed one continues the masks.
 */
final class StackDropout {
    private final float p;
    private final RandomStream random = new RandomStream("recurrent_stack");
    private Backend be;
    private BatchBuffer[] masks = new BatchBuffer[0];
    private BatchBuffer[] outs = new BatchBuffer[0];
    private BatchBuffer[] grads = new BatchBuffer[0];
    /** Whether the last forward dropped (training, p above 0), so backward multiplies by the same masks. */
    private boolean dropped;
    private long passSeed;

    /** @param p the probability of dropping a value, already checked to be in [0, 1) */
    StackDropout(double p) {
        this.p = (float) p;
    }

    float p() {
        return p;
    }

    /** One mask per gap, shaped as the output of the layer before it. */
    void build(Backend backend, List<Shape> gapShapes, long seed) {
        be = backend;
        random.seed(seed);
        int n = gapShapes.size();
        masks = new BatchBuffer[n];
        outs = new BatchBuffer[n];
        grads = new BatchBuffer[n];
        for (int g = 0; g < n; g++) {
            masks[g] = new BatchBuffer(backend, gapShapes.get(g));
            outs[g] = new BatchBuffer(backend, gapShapes.get(g));
            grads[g] = new BatchBuffer(backend, gapShapes.get(g));
        }
    }

    /** Starts a forward: in training with p above 0, draws this pass's seed. */
    void begin(boolean training) {
        dropped = training && p > 0f && masks.length > 0;
        if (dropped) {
            passSeed = random.next();
        }
    }

    /** The output of the layer before gap {@code g}, dropped out when this forward drops. */
    Tensor forward(int g, Tensor h) {
        if (!dropped) {
            return h;
        }
        int m = h.dim(0);
        Tensor mask = masks[g].get(m);
        float keep = 1f - p;
        be.bernoulliMask(CounterRandom.bits(passSeed, g), keep, 1f / keep, mask);
        Tensor y = outs[g].get(m);
        be.binary(BinaryOp.MUL, h, mask, y);
        return y;
    }

    /** dL/d(output of the layer before gap {@code g}) from dL/d(its dropped-out output): through the same mask. */
    Tensor backward(int g, Tensor d) {
        if (!dropped) {
            return d;
        }
        Tensor dx = grads[g].get(d.dim(0));
        be.binary(BinaryOp.MUL, d, masks[g].get(d.dim(0)), dx);
        return dx;
    }

    /** The stream's seed and passes; none when nothing is ever dropped. */
    Map<String, Long> state() {
        return p > 0f ? random.state() : Map.of();
    }

    void restore(Map<String, Long> state) {
        if (p == 0f) {
            if (!state.isEmpty()) {
                throw new IllegalArgumentException("recurrent_stack: keeps no random state without dropout, but was given "
                        + state.keySet());
            }
            return;
        }
        random.restore(state);
    }
}
