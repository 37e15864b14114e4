package dendrite.nn.train;

import dendrite.nn.Sequential;
import dendrite.tensor.Backend;
import dendrite.tensor.Scope;
import dendrite.tensor.Tensor;
import dendrite.tensor.op.BinaryOp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An exponential moving average of a model's weights (Polyak averaging): after each optimizer step,
 * {@code average += (1 - d) (weights - average)}. The average of the last few thousand steps is a
 * smoother model than the last step's weights, and often scores a little better on unseen data;
 * TensorFlow's {@code tf.train.ExponentialMovingAverage}, Keras's {@code use_ema} and PyTorch's
 * {@code AveragedModel} with {@code get_ema_multi_avg_fn} keep the same average.
 *
 * <p>Every entry of the model's state dict is averaged: the parameters and the buffers (batch
 * norm's running statistics), as timm's {@code ModelEmaV2} does, so that running statistics match
 * the averaged weights they normalize. The factor {@code d} starts low and rises to {@code decay}:
 * {@code d = min(decay, (1 + t) / (10 + t))} at update t (TensorFlow's {@code num_updates}), so the
 * average follows the first, fast-moving steps instead of remembering the initial weights.
 *
 * <pre>{@code
 * try (ExponentialMovingAverage ema = new ExponentialMovingAverage(model, 0.999)) {
 *     for (...) {
 *         trainer.step(x, y);
 *         ema.update();
 *     }
 *     ema.useAverage();                 // score the average...
 *     Evaluation e = evaluator.evaluate(validation);
 *     ema.restore();                    // ...and go on training the weights
 *     ema.apply();                      // or keep the average for good
 * }
 * }</pre>
 *
 * {@link Trainer.Builder#ema} does this inside {@code fit}. The average lives on the model's backend
 * (twice the weights' memory: the average and a scratch copy); close it to free that.
 */
public final class ExponentialMovingAverage implements AutoCloseable {
    private final Sequential model;
    private final double decay;
    private final Backend be;
    private final List<Tensor> live = new ArrayList<>();
    private final List<Tensor> average = new ArrayList<>();
    /** The difference in {@link #update}, and the model's own weights while the average is in use. */
    private final List<Tensor> scratch = new ArrayList<>();
    private long updates;
    private boolean inUse;
    private boolean closed;

    /**
     * Starts the average at the model's current weights.
     *
     * @param model the model whose weights to average; its state dict must not change its entries
     *              afterwards (build the model first)
     * @param decay the weight of the old average at each update once warmed up, in (0, 1), e.g. 0.999
     *              (an average over roughly the last {@code 1 / (1 - decay)} steps)
     * @throws IllegalArgumentException if {@code decay} is not in (0, 1)
     */
    public ExponentialMovingAverage(Sequential model, double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("exponential moving average: decay must be above 0 and below 1"
                    + " (e.g. 0.999, an average over about the last 1000 steps), got " + decay);
        }
        this.model = model;
        this.decay = decay;
        this.be = model.backend();
        try {
            for (Tensor t : model.stateDict().values()) {
                live.add(t);
                Tensor copy = Scope.unscoped(() -> be.allocate(t.shape()));
                average.add(copy);
                be.copy(t, copy);
                scratch.add(Scope.unscoped(() -> be.allocate(t.shape())));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * The decay once warmed up.
     *
     * @return the value given to the constructor
     */
    public double decay() {
        return decay;
    }

    /**
     * Updates since the average was started.
     *
     * @return how many times {@link #update} ran
     */
    public long updates() {
        return updates;
    }

    /**
     * The factor the next update gives the old average: {@code min(decay, (1 + t) / (10 + t))} for
     * {@code t} updates so far.
     *
     * @return the factor, in (0, decay]
     */
    public double currentDecay() {
        return Math.min(decay, (1.0 + updates) / (10.0 + updates));
    }

    /**
     * Moves the average towards the model's current weights; call after each optimizer step.
     *
     * @throws IllegalStateException while the average is in use (call {@link #restore} first), or once closed
     */
    public void update() {
        requireOpen("update");
        if (inUse) {
            throw new IllegalStateException("exponential moving average: update while the average is in the model;"
                    + " call restore() first, so the average follows the trained weights rather than itself");
        }
        float rate = (float) (1 - currentDecay());
        for (int i = 0; i < live.size(); i++) {
            Tensor diff = scratch.get(i);
            Tensor avg = average.get(i);
            be.binary(BinaryOp.SUB, live.get(i), avg, diff);
            be.affine(diff, rate, 0f, diff);
            be.binary(BinaryOp.ADD, avg, diff, avg);
        }
        updates++;
    }

    /**
     * Puts the average into the model, keeping its own weights aside for {@link #restore}: to
     * evaluate, predict or save the averaged model in the middle of training.
     *
     * @throws IllegalStateException if the average is in use already, or once closed
     */
    public void useAverage() {
        requireOpen("useAverage");
        if (inUse) {
            throw new IllegalStateException("exponential moving average: the average is in the model already");
        }
        for (int i = 0; i < live.size(); i++) {
            be.copy(live.get(i), scratch.get(i));
            be.copy(average.get(i), live.get(i));
        }
        inUse = true;
    }

    /**
     * Puts the model's own weights back after {@link #useAverage}, bit for bit, so that training
     * goes on as if the average had never been used.
     *
     * @throws IllegalStateException if the average is not in use, or once closed
     */
    public void restore() {
        requireOpen("restore");
        if (!inUse) {
            throw new IllegalStateException("exponential moving average: restore without useAverage");
        }
        for (int i = 0; i < live.size(); i++) {
            be.copy(scratch.get(i), live.get(i));
        }
        inUse = false;
    }

    /**
     * Whether the average is in the model (between {@link #useAverage} and {@link #restore}).
     *
     * @return true while the model holds the average
     */
    public boolean inUse() {
        return inUse;
    }

    /**
     * Copies the average into the model for good (its own weights are dropped): what the model
     * keeps at the end of training.
     *
     * @throws IllegalStateException once closed
     */
    public void apply() {
        requireOpen("apply");
        for (int i = 0; i < live.size(); i++) {
            be.copy(average.get(i), live.get(i));
        }
        inUse = false;
    }

    /**
     * The average, by state-dict name: the backend's tensors, valid until {@link #close}; read them,
     * don't write them.
     *
     * @return the averaged tensors in the model's state-dict order
     */
    public Map<String, Tensor> averages() {
        requireOpen("averages");
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        int i = 0;
        for (String name : model.stateDict().keySet()) {
            out.put(name, average.get(i++));
        }
        return out;
    }

    /** Frees the average and the scratch copy; the model keeps whatever weights it holds. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        average.forEach(Tensor::close);
        scratch.forEach(Tensor::close);
    }

    private void requireOpen(String op) {
        if (closed) {
            throw new IllegalStateException("exponential moving average: " + op + " after close()");
        }
    }
}
