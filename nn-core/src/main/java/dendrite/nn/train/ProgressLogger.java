package dendrite.nn.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/** A listener that prints one line per epoch: {@code epoch 3/10  loss 0.4123  accuracy 0.8610  ...}. */
public final class ProgressLogger implements TrainingListener {
    private final PrintStream out;
    private long started;

    /**
     * A logger printing to {@code out}, e.g. {@code System.out}.
     *
     * @param out where each epoch's line goes
     */
    public ProgressLogger(PrintStream out) {
        this.out = out;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        started = System.nanoTime();
    }

    @Override
    public void onEpochEnd(EpochEvent e) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d", e.epoch() + 1, e.epochs()));
        for (Map.Entry<String, Double> m : e.metrics().entrySet()) {
            sb.append(String.format(Locale.ROOT, "  %s %.4g", m.getKey(), m.getValue()));
        }
        sb.append(String.format(Locale.ROOT, "  (%.1f s)", (System.nanoTime() - started) / 1e9));
        out.println(sb);
    }
}
