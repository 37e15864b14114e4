package dendrite.nn.optim;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The standard learning-rate schedules. */
public final class Schedules {
    private Schedules() {
    }

    /**
     * The base rate throughout.
     *
     * @return a new constant schedule, named {@code constant}
     */
    public static LearningRateSchedule constant() {
        return named("constant", (base, step, epoch) -> base);
    }

    /**
     * {@code base * gamma^floor(epoch / stepSize)}: drops by {@code gamma} every {@code stepSize} epochs.
     * PyTorch's {@code StepLR}.
     *
     * @param stepSize the number of epochs between drops, at least 1
     * @param gamma    the factor applied at each drop, usually in (0, 1), e.g. 0.1
     * @return a new schedule
     * @throws IllegalArgumentException if {@code stepSize} is below 1
     */
    public static LearningRateSchedule stepDecay(int stepSize, double gamma) {
        if (stepSize <= 0) {
            throw new IllegalArgumentException("stepDecay: step size must be positive, got " + stepSize);
        }
        return named(String.format(Locale.ROOT, "step_decay(%d, %s)", stepSize, gamma),
                (base, step, epoch) -> base * Math.pow(gamma, epoch / stepSize));
    }

    /**
     * {@code base * gamma^epoch}: PyTorch's {@code ExponentialLR}.
     *
     * @param gamma the factor applied each epoch, usually in (0, 1), e.g. 0.95
     * @return a new schedule
     */
    public static LearningRateSchedule exponential(double gamma) {
        return named("exponential(" + gamma + ")", (base, step, epoch) -> base * Math.pow(gamma, epoch));
    }

    /**
     * Linear warm-up from near 0 to the base rate over {@code warmupSteps}, then a cosine decay to
     * {@code minFactor * base} at {@code totalSteps} (held there after).
     *
     * @param warmupSteps the number of warm-up steps, at least 0 (0: start at the base rate); step {@code s}
     *                    of the warm-up uses {@code base (s + 1) / warmupSteps}
     * @param totalSteps  the step at which the decay ends, greater than {@code warmupSteps}
     * @param minFactor   the final rate as a fraction of the base rate, in [0, 1], e.g. 0.0
     * @return a new schedule, driven by the step count (the epoch is ignored)
     * @throws IllegalArgumentException if {@code totalSteps} does not exceed {@code warmupSteps}
     */
    public static LearningRateSchedule cosine(long warmupSteps, long totalSteps, double minFactor) {
        if (totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("cosine: total steps " + totalSteps + " must exceed warm-up steps "
                    + warmupSteps);
        }
        return named(String.format(Locale.ROOT, "cosine(warmup=%d, total=%d, min=%s)", warmupSteps, totalSteps,
                minFactor), (base, step, epoch) -> {
                    if (step < warmupSteps) {
                        return base * (step + 1) / (double) warmupSteps;
                    }
                    double progress = Math.min(1.0, (step - warmupSteps) / (double) (totalSteps - warmupSteps));
                    double cos = 0.5 * (1 + Math.cos(Math.PI * progress));
                    return base * (minFactor + (1 - minFactor) * cos);
                });
    }

    /**
     * Multiplies the rate by {@code factor} when the monitored value (lower is better) has not improved
     * by more than {@code minDelta} for {@code patience} epochs; never below {@code minRate}. Its state
     * (the scale so far, the best value, the epochs without improvement) is saved in checkpoints.
     * PyTorch's {@code ReduceLROnPlateau(mode='min', threshold_mode='abs')}.
     *
     * @param factor   the factor applied at each reduction, in (0, 1), e.g. 0.1
     * @param patience the number of epochs without improvement tolerated; the rate drops on the next one,
     *                 at least 0
     * @param minDelta the smallest decrease that counts as an improvement, at least 0 (absolute, in the
     *                 monitored value's units)
     * @param minRate  the floor of the rate, at least 0
     * @return a new stateful schedule; give each optimizer its own
     * @throws IllegalArgumentException if {@code factor} is not in (0, 1)
     */
    public static LearningRateSchedule reduceOnPlateau(double factor, int patience, double minDelta, double minRate) {
        return new ReduceOnPlateau(factor, patience, minDelta, minRate);
    }

    private static LearningRateSchedule named(String name, LearningRateSchedule s) {
        return new LearningRateSchedule() {
            @Override
            public double rate(double base, long step, int epoch) {
                return s.rate(base, step, epoch);
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /**
     * Reduce-on-plateau: stateful, fed by {@link LearningRateSchedule#onEpochEnd}; its state goes into
     * checkpoints through {@link #state()}.
     */
    static final class ReduceOnPlateau implements LearningRateSchedule {
        static final String SCALE = "scale";
        static final String BEST = "best";
        static final String BAD_EPOCHS = "bad_epochs";
        private final double factor;
        private final int patience;
        private final double minDelta;
        private final double minRate;
        private double scale = 1;
        private double best = Double.POSITIVE_INFINITY;
        private int badEpochs;

        ReduceOnPlateau(double factor, int patience, double minDelta, double minRate) {
            if (!(factor > 0 && factor < 1)) {
                throw new IllegalArgumentException("reduceOnPlateau: factor must be in (0, 1), got " + factor);
            }
            this.factor = factor;
            this.patience = patience;
            this.minDelta = minDelta;
            this.minRate = minRate;
        }

        @Override
        public double rate(double base, long step, int epoch) {
            return Math.max(minRate, base * scale);
        }

        @Override
        public void onEpochEnd(int epoch, double monitored) {
            if (monitored < best - minDelta) {
                best = monitored;
                badEpochs = 0;
            } else if (++badEpochs > patience) {
                scale *= factor;
                badEpochs = 0;
            }
        }

        /**
         * {@value #SCALE} (the product of the reductions so far), {@value #BEST} (the best monitored
         * value, infinite before the first epoch) and {@value #BAD_EPOCHS} (epochs since it improved).
         */
        @Override
        public Map<String, Double> state() {
            Map<String, Double> s = new LinkedHashMap<>();
            s.put(SCALE, scale);
            s.put(BEST, best);
            s.put(BAD_EPOCHS, (double) badEpochs);
            return s;
        }

        @Override
        public void restoreState(Map<String, Double> state) {
            if (!state.keySet().equals(state().keySet())) {
                throw new IllegalArgumentException("reduce-on-plateau: state must name exactly " + state().keySet()
                        + ", got " + new TreeSet<>(state.keySet()));
            }
            double s = state.get(SCALE);
            double b = state.get(BEST);
            double bad = state.get(BAD_EPOCHS);
            if (!(s > 0 && s <= 1) || Double.isNaN(b) || !(bad >= 0 && bad <= Integer.MAX_VALUE && bad == Math.rint(bad))) {
                throw new IllegalArgumentException("reduce-on-plateau: state out of range: " + SCALE + " " + s
                        + " (must be in (0, 1]), " + BEST + " " + b + " (must be a number), " + BAD_EPOCHS + " " + bad
                        + " (must be a count)");
            }
            scale = s;
            best = b;
            badEpochs = (int) bad;
        }

        @Override
        public String toString() {
            return "reduce_on_plateau(factor=" + factor + ", patience=" + patience + ")";
        }
    }
}
