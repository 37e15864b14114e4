package dendrite.nn.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code fit} measured, epoch by epoch: {@code loss}, {@code accuracy} (classification),
 * {@code val_loss} and {@code val_accuracy} (with validation data), and {@code lr}.
 *
 * <pre>{@code
 * History h = trainer.fit(train);
 * double[] valLoss = h.get("val_loss");
 * }</pre>
 */
public final class History {
    /** An empty history, to which a trainer adds each epoch's metrics. */
    public History() {
    }

    private final List<Integer> epochs = new ArrayList<>();
    private final List<Map<String, Double>> rows = new ArrayList<>();
    private int bestEpoch = -1;
    private boolean stoppedEarly;

    void add(int epoch, Map<String, Double> metrics) {
        epochs.add(epoch);
        rows.add(Collections.unmodifiableMap(new LinkedHashMap<>(metrics)));
    }

    void bestEpoch(int epoch) {
        this.bestEpoch = epoch;
    }

    void stoppedEarly(boolean stopped) {
        this.stoppedEarly = stopped;
    }

    /**
     * The number of epochs recorded.
     *
     * @return the number of epochs trained by the {@code fit} that made this history
     */
    public int size() {
        return rows.size();
    }

    /**
     * The epoch numbers recorded (from 0; a resumed run starts later).
     *
     * @return an immutable copy, in order, one number per recorded epoch
     */
    public List<Integer> epochs() {
        return List.copyOf(epochs);
    }

    /**
     * The metrics of the {@code i}-th recorded epoch.
     *
     * @param i the index among the recorded epochs, from 0 to {@link #size()} - 1 (not the epoch number)
     * @return an unmodifiable map of that epoch's metrics by name
     * @throws IndexOutOfBoundsException if {@code i} is out of range
     */
    public Map<String, Double> epoch(int i) {
        return rows.get(i);
    }

    /**
     * The metrics of the last epoch.
     *
     * @return an unmodifiable map of the last recorded epoch's metrics by name
     * @throws IllegalStateException if no epoch was recorded
     */
    public Map<String, Double> last() {
        if (rows.isEmpty()) {
            throw new IllegalStateException("history is empty: no epoch was trained");
        }
        return rows.get(rows.size() - 1);
    }

    /**
     * One metric over the epochs (NaN where an epoch lacks it).
     *
     * @param metric the metric's name, e.g. {@code loss} or {@code val_accuracy}
     * @return a new array, one value per recorded epoch; empty for an empty history
     * @throws IllegalArgumentException if no recorded epoch has the metric, listing the ones there are
     */
    public double[] get(String metric) {
        double[] out = new double[rows.size()];
        boolean any = false;
        for (int i = 0; i < out.length; i++) {
            Double v = rows.get(i).get(metric);
            out[i] = v == null ? Double.NaN : v;
            any |= v != null;
        }
        if (!any && !rows.isEmpty()) {
            throw new IllegalArgumentException("history has no metric '" + metric + "'; it has " + rows.get(0).keySet());
        }
        return out;
    }

    /**
     * The epoch early stopping judged best (its weights were restored if asked), or -1.
     *
     * @return the best epoch's number, or -1 without early stopping
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    /**
     * Whether early stopping ended training before the last epoch.
     *
     * @return {@code true} if training stopped before the configured number of epochs
     */
    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            sb.append("epoch ").append(epochs.get(i)).append(": ").append(rows.get(i)).append('\n');
        }
        return sb.toString();
    }
}
