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
     * Linear warm-up as in {@link #cosine}, then a straight line down to {@code minFactor * base} at
     * {@code totalSteps} (held there after): the schedule BERT was trained with (Hugging Face's
     * {@code get_linear_schedule_with_warmup}, whose warm-up starts one step earlier, at 0).
     *
     * @param warmupSteps the number of warm-up steps, at least 0 (0: start at the base rate); step {@code s}
     *                    of the warm-up uses {@code base (s + 1) / warmupSteps}
     * @param totalSteps  the step at which the decay ends, greater than {@code warmupSteps}
     * @param minFactor   the final rate as a fraction of the base rate, in [0, 1], e.g. 0.0
     * @return a new schedule, driven by the step count (the epoch is ignored)
     * @throws IllegalArgumentException if {@code totalSteps} does not exceed {@code warmupSteps}, a count is
     *                                  negative, or {@code minFactor} is outside [0, 1]
     */
    public static LearningRateSchedule linear(long warmupSteps, long totalSteps, double minFactor) {
        requireSteps("linear", warmupSteps, totalSteps, minFactor);
        return named(String.format(Locale.ROOT, "linear(warmup=%d, total=%d, min=%s)", warmupSteps, totalSteps,
                minFactor), (base, step, epoch) -> {
                    if (step < warmupSteps) {
                        return base * (step + 1) / (double) warmupSteps;
                    }
                    double progress = Math.min(1.0, (step - warmupSteps) / (double) (totalSteps - warmupSteps));
                    return base * (minFactor + (1 - minFactor) * (1 - progress));
                });
    }

    /**
     * Leslie Smith's one-cycle policy as PyTorch's {@code OneCycleLR} with {@code cycle_momentum=False}
     * (two phases, cosine annealing): from {@code base / divFactor} up to the base rate (the peak,
     * PyTorch's {@code max_lr}) over the first {@code pctStart} of the steps, then down to
     * {@code base / (divFactor * finalDivFactor)} at the last step, held there after. The optimizer keeps
     * its own momentum; {@link #oneCycle(long, double, double, double, double, double)} cycles it too.
     *
     * @param totalSteps     the number of steps in the cycle, at least 2 (PyTorch's {@code total_steps})
     * @param pctStart       the fraction of the steps spent rising, in (0, 1), e.g. 0.3
     * @param divFactor      the peak over the starting rate, at least 1, e.g. 25
     * @param finalDivFactor the starting rate over the final one, at least 1, e.g. 1e4
     * @return a new schedule, driven by the step count (the epoch is ignored)
     * @throws IllegalArgumentException if an argument is outside its range, or the rise or the fall would
     *                                  take no step
     */
    public static LearningRateSchedule oneCycle(long totalSteps, double pctStart, double divFactor,
            double finalDivFactor) {
        return new OneCycle(totalSteps, pctStart, divFactor, finalDivFactor, Double.NaN, Double.NaN);
    }

    /**
     * The one-cycle policy with the momentum cycled the other way, PyTorch's {@code OneCycleLR} with
     * {@code cycle_momentum=True}: while the rate rises the momentum falls from {@code maxMomentum} to
     * {@code baseMomentum}, and while the rate falls it rises back, on the same cosine. The momentum is
     * SGD's and RMSprop's momentum and the beta1 of Adam, AdamW, Adamax and RAdam (PyTorch's
     * {@code betas[0]}), which replaces the optimizer's own at every step; an optimizer without one refuses
     * the schedule ({@link Optimizer#schedule}), as PyTorch's scheduler refuses the optimizer.
     *
     * @param totalSteps     the number of steps in the cycle, at least 2
     * @param pctStart       the fraction of the steps spent rising, in (0, 1), e.g. 0.3
     * @param divFactor      the peak over the starting rate, at least 1, e.g. 25
     * @param finalDivFactor the starting rate over the final one, at least 1, e.g. 1e4
     * @param baseMomentum   the momentum at the rate's peak, in [0, 1), e.g. 0.85
     * @param maxMomentum    the momentum at the start and the end, in [0, 1), e.g. 0.95
     * @return a new schedule of the rate and the momentum, driven by the step count
     * @throws IllegalArgumentException if an argument is outside its range, or the rise or the fall would
     *                                  take no step
     */
    public static LearningRateSchedule oneCycle(long totalSteps, double pctStart, double divFactor,
            double finalDivFactor, double baseMomentum, double maxMomentum) {
        if (!(baseMomentum >= 0 && baseMomentum < 1) || !(maxMomentum >= 0 && maxMomentum < 1)) {
            throw new IllegalArgumentException("oneCycle: the momenta must be in [0, 1), got base " + baseMomentum
                    + " and max " + maxMomentum);
        }
        return new OneCycle(totalSteps, pctStart, divFactor, finalDivFactor, baseMomentum, maxMomentum);
    }

    /**
     * The one-cycle policy with PyTorch's defaults: 30 % of the steps rising from a 25th of the peak,
     * ending at 1e-4 of that, the momentum cycled between 0.95 and 0.85 (PyTorch's
     * {@code OneCycleLR(optimizer, max_lr, total_steps)}). For an optimizer without momentum (Adagrad,
     * Adadelta, NAdam, SGD or RMSprop built without it), use
     * {@link #oneCycle(long, double, double, double) oneCycle(totalSteps, 0.3, 25, 1e4)}, the rate alone.
     *
     * @param totalSteps the number of steps in the cycle, at least 4
     * @return a new schedule of the rate and the momentum, driven by the step count
     * @throws IllegalArgumentException if there are too few steps for both phases
     */
    public static LearningRateSchedule oneCycle(long totalSteps) {
        return oneCycle(totalSteps, 0.3, 25, 1e4, 0.85, 0.95);
    }

    /** The one-cycle policy: the rate up then down, and the momentum (where asked for) down then up. */
    private static final class OneCycle implements LearningRateSchedule {
        private final double divFactor;
        private final double finalDivFactor;
        private final double baseMomentum;
        private final double maxMomentum;
        private final double peakStep;
        private final double lastStep;
        private final String name;

        OneCycle(long totalSteps, double pctStart, double divFactor, double finalDivFactor, double baseMomentum,
                double maxMomentum) {
            if (totalSteps < 2 || !(pctStart > 0 && pctStart < 1) || !(divFactor >= 1) || !(finalDivFactor >= 1)
                    || Double.isInfinite(divFactor) || Double.isInfinite(finalDivFactor)) {
                throw new IllegalArgumentException("oneCycle: needs at least 2 steps (got " + totalSteps + "), pctStart"
                        + " in (0, 1) (got " + pctStart + ") and finite divide factors of at least 1 (got " + divFactor
                        + ", " + finalDivFactor + ")");
            }
            this.peakStep = pctStart * totalSteps - 1;        // PyTorch's phase ends, in float as it computes them
            this.lastStep = totalSteps - 1;
            if (!(peakStep > 0) || !(lastStep > peakStep)) {
                throw new IllegalArgumentException("oneCycle: " + pctStart + " of " + totalSteps + " steps leaves the"
                        + " rise or the fall without a step; use more steps or another pctStart");
            }
            this.divFactor = divFactor;
            this.finalDivFactor = finalDivFactor;
            this.baseMomentum = baseMomentum;
            this.maxMomentum = maxMomentum;
            this.name = String.format(Locale.ROOT, "one_cycle(total=%d, pct_start=%s, div=%s, final_div=%s%s)",
                    totalSteps, pctStart, divFactor, finalDivFactor, setsMomentum()
                            ? String.format(Locale.ROOT, ", momentum=%s..%s", maxMomentum, baseMomentum) : "");
        }

        @Override
        public double rate(double base, long step, int epoch) {
            double initial = base / divFactor;
            return along(step, initial, base, initial / finalDivFactor);
        }

        @Override
        public boolean setsMomentum() {
            return !Double.isNaN(maxMomentum);
        }

        @Override
        public double momentum(long step, int epoch) {
            if (!setsMomentum()) {
                return LearningRateSchedule.super.momentum(step, epoch);
            }
            return along(step, maxMomentum, baseMomentum, maxMomentum);
        }

        /** From {@code start} to {@code peak} over the rise, then to {@code end} over the fall, on cosines. */
        private double along(long step, double start, double peak, double end) {
            double t = Math.min(step, lastStep);
            return t <= peakStep ? cosineBetween(start, peak, t / peakStep)
                    : cosineBetween(peak, end, (t - peakStep) / (lastStep - peakStep));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Cosine annealing with warm restarts (SGDR, Loshchilov and Hutter 2017), PyTorch's
     * {@code CosineAnnealingWarmRestarts} counted in steps: the rate falls from the base to
     * {@code minFactor * base} along a half cosine over {@code firstCycleSteps}, jumps back to the base,
     * and falls again over a cycle {@code cycleMultiplier} times as long, and so on.
     *
     * @param firstCycleSteps the first cycle's length in steps, at least 1 (PyTorch's {@code T_0})
     * @param cycleMultiplier each cycle's length over the previous one's, at least 1 (PyTorch's {@code T_mult})
     * @param minFactor       the lowest rate as a fraction of the base rate, in [0, 1] (PyTorch's
     *                        {@code eta_min / lr})
     * @return a new schedule, driven by the step count
     * @throws IllegalArgumentException if an argument is outside its range
     */
    public static LearningRateSchedule cosineWarmRestarts(long firstCycleSteps, int cycleMultiplier, double minFactor) {
        if (firstCycleSteps < 1 || cycleMultiplier < 1 || !(minFactor >= 0 && minFactor <= 1)) {
            throw new IllegalArgumentException("cosineWarmRestarts: needs a first cycle of at least 1 step (got "
                    + firstCycleSteps + "), a multiplier of at least 1 (got " + cycleMultiplier + ") and a minimum"
                    + " factor in [0, 1] (got " + minFactor + ")");
        }
        return named(String.format(Locale.ROOT, "cosine_restarts(first=%d, mult=%d, min=%s)", firstCycleSteps,
                cycleMultiplier, minFactor), (base, step, epoch) -> {
                    long cycle = firstCycleSteps;
                    long into = cycleMultiplier == 1 ? step % cycle : step;
                    while (into >= cycle) {                // growing cycles: at most log(step) of them
                        into -= cycle;
                        cycle = cycle > Long.MAX_VALUE / cycleMultiplier ? Long.MAX_VALUE : cycle * cycleMultiplier;
                    }
                    return cosineBetween(base, minFactor * base, into / (double) cycle);
                });
    }

    /**
     * {@code base * gamma^k} after the k-th of the given epochs has begun: PyTorch's {@code MultiStepLR}.
     *
     * @param gamma      the factor applied at each milestone, usually in (0, 1), e.g. 0.1
     * @param milestones the epochs (from 0) at which the rate drops, increasing, at least 1
     * @return a new schedule, driven by the epoch
     * @throws IllegalArgumentException if there is no milestone, or they are not increasing and positive
     */
    public static LearningRateSchedule multiStep(double gamma, int... milestones) {
        int[] m = milestones.clone();
        if (m.length == 0) {
            throw new IllegalArgumentException("multiStep: give at least one milestone epoch");
        }
        for (int i = 0; i < m.length; i++) {
            if (m[i] < 1 || (i > 0 && m[i] <= m[i - 1])) {
                throw new IllegalArgumentException("multiStep: milestones must be increasing epochs of at least 1, got "
                        + java.util.Arrays.toString(m));
            }
        }
        return named("multi_step(" + gamma + ", " + java.util.Arrays.toString(m) + ")", (base, step, epoch) -> {
            int passed = 0;
            while (passed < m.length && epoch >= m[passed]) {
                passed++;
            }
            return base * Math.pow(gamma, passed);
        });
    }

    /** From {@code start} at 0 to {@code end} at 1 along a half cosine (PyTorch's {@code _annealing_cos}). */
    private static double cosineBetween(double start, double end, double progress) {
        return end + (start - end) / 2.0 * (Math.cos(Math.PI * progress) + 1);
    }

    private static void requireSteps(String what, long warmupSteps, long totalSteps, double minFactor) {
        if (warmupSteps < 0 || totalSteps <= warmupSteps || !(minFactor >= 0 && minFactor <= 1)) {
            throw new IllegalArgumentException(what + ": total steps " + totalSteps + " must exceed warm-up steps "
                    + warmupSteps + " (at least 0), and the minimum factor " + minFactor + " be in [0, 1]");
        }
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
