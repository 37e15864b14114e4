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

    /** The number of epochs recorded. */
    public int size() {
        return rows.size();
    }

    /** The epoch numbers recorded (from 0; a resumed run starts later). */
    public List<Integer> epochs() {
        return List.copyOf(epochs);
    }

    /** The metrics of the {@code i}-th recorded epoch. */
    public Map<String, Double> epoch(int i) {
        return rows.get(i);
    }

    /** The metrics of the last epoch. */
    public Map<String, Double> last() {
        if (rows.isEmpty()) {
            throw new IllegalStateException("history is empty: no epoch was trained");
        }
        return rows.get(rows.size() - 1);
    }

    /** One metric over the epochs (NaN where an epoch lacks it). */
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

    /** The epoch early stopping judged best (its weights were restored if asked), or -1. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** Whether early stopping ended training before the last epoch. */
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
