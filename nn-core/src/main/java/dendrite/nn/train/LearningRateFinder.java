package dendrite.nn.train;

import dendrite.nn.Sequential;
import dendrite.nn.data.Dataset;
import dendrite.nn.data.MiniBatches;
import dendrite.nn.losses.Loss;
import dendrite.nn.optim.Optimizer;
import dendrite.tensor.Backend;
import dendrite.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The learning-rate range test (Smith, "Cyclical Learning Rates for Training Neural Networks", 2017;
 * fastai's and PyTorch Lightning's {@code lr_find}): a short run whose rate grows exponentially from
 * a tiny value to a huge one, one step per batch, recording the loss at each. The loss first barely
 * moves (the rate is too small to matter), then falls, then blows up; a good rate to train with sits
 * where it falls fastest, which is what {@link Result#suggestion()} picks.
 *
 * <pre>{@code
 * LearningRateFinder.Result r = LearningRateFinder.builder(model, Losses.softmaxCrossEntropy(), () -> new Adam(1e-3))
 *         .build().find(train);
 * double lr = r.suggestion();              // then train with new Adam(lr); r.learningRates(), r.smoothedLosses() to plot
 * }</pre>
 *
 * The model's state (weights and buffers) is put back as it was before the test, so the same model
 * then trains from where it started. The optimizer comes from a supplier because the test spends
 * one: it is made afresh, its schedule replaced by the ramp.
 */
public final class LearningRateFinder {
    /** Points left out at the start of the curve when picking the steepest fall (Lightning's skip_begin). */
    private static final int SKIP_BEGIN = 10;
    /** And at the end, where the loss turns up (Lightning's skip_end). */
    private static final int SKIP_END = 1;

    private final Sequential model;
    private final Loss loss;
    private final Supplier<Optimizer> optimizer;
    private final double minRate;
    private final double maxRate;
    private final int steps;
    private final int batchSize;
    private final long seed;
    private final double divergence;
    private final double beta;

    private LearningRateFinder(Builder b) {
        this.model = b.model;
        this.loss = b.loss;
        this.optimizer = b.optimizer;
        this.minRate = b.minRate;
        this.maxRate = b.maxRate;
        this.steps = b.steps;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.divergence = b.divergence;
        this.beta = b.beta;
    }

    /**
     * Starts the settings of a range test.
     *
     * @param model the built model to test; its state is the same after {@link #find} as before
     * @param loss the loss to train with
     * @param optimizer makes the optimizer to train with, afresh (e.g. {@code () -> new Adam(1e-3)}): its
     *        kind, momentum and weight decay matter, its rate and schedule are replaced by the ramp
     * @return a builder with the defaults: rates from 1e-7 to 10 over 100 steps, batches of 32, seed 42,
     *         stopping once the smoothed loss passes 4 times its lowest
     * @throws NullPointerException if an argument is null
     */
    public static Builder builder(Sequential model, Loss loss, Supplier<Optimizer> optimizer) {
        return new Builder(model, loss, optimizer);
    }

    /**
     * Runs the test on batches of {@code train}, shuffled from the seed (passing through the data again
     * if it has fewer batches than steps), then puts the model's state back.
     *
     * @param train the training data
     * @return the rates and losses recorded, and the suggested rate
     * @throws IllegalArgumentException if the data does not fit the model
     */
    public Result find(Dataset train) {
        Map<String, float[]> saved = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            saved.put(e.getKey(), e.getValue().toArray());
        }
        try {
            return ramp(train);
        } finally {
            model.loadStateDict(saved);
        }
    }

    private Result ramp(Dataset train) {
        Optimizer opt = Objects.requireNonNull(optimizer.get(), "learning-rate finder: the optimizer supplier gave null");
        double growth = Math.log(maxRate / minRate) / Math.max(1, steps - 1);
        opt.learningRate(minRate).schedule((base, step, epoch) -> minRate * Math.exp(growth * step));
        int batch = Math.min(batchSize, train.size());
        Trainer trainer = Trainer.builder(model).loss(loss).optimizer(opt).batchSize(batch).seed(seed).build();
        Backend be = model.backend();
        MiniBatches batches = new MiniBatches(train.size(), batch, seed);
        int[] xDims = batchDims(batch, model.inputShape().dims());
        int[] yDims = train.isClassification() ? new int[] {batch} : batchDims(batch, model.outputShape().dims());
        float[] xs = new float[batch * train.sampleSize()];
        float[] ys = new float[batch * train.targetSize()];

        double[] rates = new double[steps];
        double[] losses = new double[steps];
        double[] smoothed = new double[steps];
        double average = 0;
        double best = Double.POSITIVE_INFINITY;
        int done = 0;
        boolean diverged = false;
        int[] order = batches.permutation(0);
        for (int s = 0, b = 0, epoch = 0; s < steps; s++, b++) {
            if (b == batches.batchCount() || batches.to(b) - batches.from(b) < batch) {
                order = batches.permutation(++epoch);        // full batches only: every step sees as many samples
                b = 0;
            }
            train.copyFeatures(order, batches.from(b), batches.to(b), xs);
            train.copyTargets(order, batches.from(b), batches.to(b), ys);
            float value;
            try (Tensor x = be.tensor(xs, xDims); Tensor y = be.tensor(ys, yDims)) {
                rates[s] = opt.currentLearningRate();
                value = trainer.step(x, y);
            } catch (NonFiniteLossException e) {
                diverged = true;
                break;
            }
            losses[s] = value;
            average = beta * average + (1 - beta) * value;
            smoothed[s] = average / (1 - Math.pow(beta, s + 1));
            done = s + 1;
            best = Math.min(best, smoothed[s]);
            if (s > 0 && smoothed[s] > divergence * best) {
                diverged = true;
                break;
            }
        }
        double[] r = Arrays.copyOf(rates, done);
        double[] sm = Arrays.copyOf(smoothed, done);
        return new Result(r, Arrays.copyOf(losses, done), sm, steepestFall(r, sm), diverged);
    }

    /**
     * The rate where the smoothed loss falls fastest against log(rate), away from the curve's ends;
     * NaN when there are too few points (the test diverged almost at once).
     */
    static double steepestFall(double[] rates, double[] smoothed) {
        int from = SKIP_BEGIN;
        int to = smoothed.length - SKIP_END;                 // exclusive
        if (to - from < 3) {
            return Double.NaN;
        }
        int steepest = -1;
        double fall = Double.POSITIVE_INFINITY;
        for (int i = from; i < to; i++) {
            // np.gradient on evenly spaced log rates: central differences inside, one-sided at the ends.
            double g = i == from ? smoothed[i + 1] - smoothed[i]
                    : i == to - 1 ? smoothed[i] - smoothed[i - 1]
                    : (smoothed[i + 1] - smoothed[i - 1]) / 2;
            if (g < fall) {
                fall = g;
                steepest = i;
            }
        }
        return rates[steepest];
    }

    private static int[] batchDims(int batch, int[] sample) {
        int[] dims = new int[sample.length + 1];
        dims[0] = batch;
        System.arraycopy(sample, 0, dims, 1, sample.length);
        return dims;
    }

    /**
     * What a range test recorded.
     *
     * @param learningRates the rate of each step taken, growing exponentially
     * @param losses each step's batch loss (before its update)
     * @param smoothedLosses an exponential moving average of the losses, bias-corrected (what to plot)
     * @param suggestion the rate where the smoothed loss fell fastest; NaN when the test took too few steps
     *        to say (it diverged at once: lower the minimum rate)
     * @param diverged whether the test stopped early, the loss past its limit or not finite
     */
    public record Result(double[] learningRates, double[] losses, double[] smoothedLosses, double suggestion,
            boolean diverged) {
    }

    /** The settings of a range test; see {@link LearningRateFinder#builder}. */
    public static final class Builder {
        private final Sequential model;
        private final Loss loss;
        private final Supplier<Optimizer> optimizer;
        private double minRate = 1e-7;
        private double maxRate = 10;
        private int steps = 100;
        private int batchSize = 32;
        private long seed = 42;
        private double divergence = 4;
        private double beta = 0.98;

        private Builder(Sequential model, Loss loss, Supplier<Optimizer> optimizer) {
            this.model = Objects.requireNonNull(model, "learning-rate finder: model is null");
            this.loss = Objects.requireNonNull(loss, "learning-rate finder: loss is null");
            this.optimizer = Objects.requireNonNull(optimizer, "learning-rate finder: optimizer supplier is null");
        }

        /**
         * The rates the ramp runs between.
         *
         * @param min the first step's rate, positive
         * @param max the last step's rate, above {@code min}
         * @return this builder
         * @throws IllegalArgumentException if the range is empty or not positive and finite
         */
        public Builder range(double min, double max) {
            if (!(min > 0) || !(max > min) || Double.isInfinite(max)) {
                throw new IllegalArgumentException("learning-rate finder: the range must be 0 < min < max, finite;"
                        + " got " + min + " to " + max);
            }
            this.minRate = min;
            this.maxRate = max;
            return this;
        }

        /**
         * The steps (batches) the ramp takes from the minimum to the maximum rate.
         *
         * @param steps at least 2
         * @return this builder
         * @throws IllegalArgumentException if {@code steps} is below 2
         */
        public Builder steps(int steps) {
            if (steps < 2) {
                throw new IllegalArgumentException("learning-rate finder: steps must be at least 2, got " + steps);
            }
            this.steps = steps;
            return this;
        }

        /**
         * The batch size, as in training (the best rate depends on it).
         *
         * @param batchSize at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code batchSize} is below 1
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("learning-rate finder: batch size must be positive, got "
                        + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * The seed of the batches' order.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Stops the test once the smoothed loss passes this multiple of its lowest value (Lightning's
         * {@code early_stop_threshold}).
         *
         * @param factor above 1
         * @return this builder
         * @throws IllegalArgumentException if {@code factor} is not above 1
         */
        public Builder stopAbove(double factor) {
            if (!(factor > 1) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException("learning-rate finder: the stopping factor must be above 1, got "
                        + factor);
            }
            this.divergence = factor;
            return this;
        }

        /**
         * The finder with these settings.
         *
         * @return a new finder
         */
        public LearningRateFinder build() {
            return new LearningRateFinder(this);
        }
    }
}
