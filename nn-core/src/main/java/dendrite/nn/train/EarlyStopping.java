package dendrite.nn.train;

import java.util.Locale;

/**
 * Stops training when a monitored metric has not improved for {@code patience} epochs, and by default
 * restores the weights of the best epoch.
 *
 * <pre>{@code
 * EarlyStopping.monitor("val_loss").patience(5).minDelta(1e-4)
 * }</pre>
 * Whether higher is better is taken from the name: metrics containing {@code acc}, {@code f1},
 * {@code precision}, {@code recall}, {@code r2} or {@code auc} are maximized, everything else (losses)
 * minimized.
 */
public final class EarlyStopping {
    private final String metric;
    private int patience = 5;
    private double minDelta;
    private boolean restoreBestWeights = true;

    private EarlyStopping(String metric) {
        this.metric = metric;
    }

    /**
     * Watches {@code metric}, e.g. {@code val_loss} or {@code val_accuracy}.
     *
     * @param metric the name of a metric in the {@link History}, e.g. {@code val_loss}; its name also says
     *               whether higher is better (see {@link #maximizes()})
     * @return a new rule with patience 5, min delta 0, restoring the best weights
     * @throws IllegalArgumentException if {@code metric} is null or blank
     */
    public static EarlyStopping monitor(String metric) {
        if (metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("early stopping: the metric is null or blank, got "
                    + (metric == null ? "null" : "'" + metric + "'"));
        }
        return new EarlyStopping(metric);
    }

    /**
     * Epochs without improvement before stopping (default 5).
     *
     * @param epochs the number of epochs without improvement to tolerate, at least 0
     * @return this rule, for chaining
     * @throws IllegalArgumentException if {@code epochs} is negative; the patience is then unchanged
     */
    public EarlyStopping patience(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("early stopping: patience must be at least 0, got " + epochs);
        }
        this.patience = epochs;
        return this;
    }

    /**
     * The smallest change that counts as an improvement (default 0).
     *
     * @param delta the margin, at least 0, in the metric's units: an epoch improves only when it beats the best
     *              by more than this
     * @return this rule, for chaining
     * @throws IllegalArgumentException if {@code delta} is negative, NaN or infinite; the margin is then unchanged
     */
    public EarlyStopping minDelta(double delta) {
        if (!(delta >= 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("early stopping: minDelta must be 0 or a positive number, got " + delta);
        }
        this.minDelta = delta;
        return this;
    }

    /**
     * Whether to put back the best epoch's weights when training ends (default true).
     *
     * @param restore {@code true} to restore the best epoch's weights, {@code false} to keep the last epoch's
     * @return this rule, for chaining
     */
    public EarlyStopping restoreBestWeights(boolean restore) {
        this.restoreBestWeights = restore;
        return this;
    }

    /**
     * The monitored metric.
     *
     * @return the name given to {@link #monitor}
     */
    public String metric() {
        return metric;
    }

    /**
     * Epochs without improvement before stopping.
     *
     * @return the patience, 5 unless set
     */
    public int patience() {
        return patience;
    }

    /**
     * Whether the best epoch's weights are put back when training ends.
     *
     * @return {@code true} unless {@link #restoreBestWeights(boolean)} switched it off
     */
    public boolean restoresBestWeights() {
        return restoreBestWeights;
    }

    /**
     * Whether larger values of the metric are better.
     *
     * @return {@code true} when the metric's name contains {@code acc}, {@code f1}, {@code precision},
     *         {@code recall}, {@code r2} or {@code auc} (in any case), {@code false} otherwise
     */
    public boolean maximizes() {
        String m = metric.toLowerCase(Locale.ROOT);
        return m.contains("acc") || m.contains("f1") || m.contains("precision") || m.contains("recall")
                || m.contains("r2") || m.contains("auc");
    }

    /** Whether {@code value} improves on {@code best} by more than minDelta. */
    boolean improves(double value, double best) {
        if (Double.isNaN(best)) {
            return !Double.isNaN(value);
        }
        return maximizes() ? value > best + minDelta : value < best - minDelta;
    }

    @Override
    public String toString() {
        return "EarlyStopping(" + metric + ", patience " + patience + ", minDelta " + minDelta + ")";
    }
}
