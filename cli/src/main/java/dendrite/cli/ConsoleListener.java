package dendrite.cli;

import dendrite.nn.train.EpochEvent;
import dendrite.nn.train.StepEvent;
import dendrite.nn.train.Trainer;
import dendrite.nn.train.TrainingListener;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code dendrite train} shows while the {@link Trainer} runs: a progress bar during each
 * epoch (on stderr, only on a terminal) and one line per epoch on stdout, e.g.
 * <pre>
 * epoch  3/25  train loss 0.2471 acc 0.9387 | val loss 0.2318 acc 0.9444 | 0.21s
 * </pre>
 * It also keeps each epoch's wall time for {@code history.csv}.
 */
final class ConsoleListener implements TrainingListener {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean drawBar;
    private final int epochs;
    private final List<Double> seconds = new ArrayList<>();
    private EpochProgress bar;
    private long epochStart;

    /** Print every this many epochs (and the last); 0 prints none. */
    private final int every;

    ConsoleListener(PrintWriter out, PrintWriter err, boolean drawBar, int epochs) {
        this(out, err, drawBar, epochs, defaultEvery(epochs));
    }

    ConsoleListener(PrintWriter out, PrintWriter err, boolean drawBar, int epochs, int every) {
        this(out, err, drawBar, epochs, every, null);
    }

    /** @param json where each epoch's JSON object goes (--json), or null for none */
    ConsoleListener(PrintWriter out, PrintWriter err, boolean drawBar, int epochs, int every, PrintWriter json) {
        this.out = out;
        this.err = err;
        this.drawBar = drawBar;
        this.epochs = epochs;
        this.every = every;
        this.json = json;
    }

    /** Where every epoch's JSON object goes, or null. */
    private final PrintWriter json;

    /** A flat JSON object on one line: numbers (non-finite ones as null) and strings. */
    static String jsonLine(Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(quote(e.getKey())).append(':');
            Object v = e.getValue();
            if (v instanceof Number n) {
                double d = n.doubleValue();
                sb.append(!Double.isFinite(d) ? "null" : v instanceof Integer || v instanceof Long ? v.toString()
                        : Double.toString(d));
            } else {
                sb.append(v == null ? "null" : quote(v.toString()));
            }
        }
        return sb.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Every epoch up to 100 epochs; beyond, about 50 lines (a 1,000-epoch run prints every 20th). */
    static int defaultEvery(int epochs) {
        return epochs <= 100 ? 1 : (epochs + 49) / 50;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        epochStart = System.nanoTime();
    }

    @Override
    public void onStepEnd(StepEvent step) {
        if (bar == null) {
            bar = EpochProgress.start(epochLabel(step.epoch(), epochs), step.batches(), drawBar, err);
        }
        bar.step(step.loss(), step.batch() + 1);
        if (step.batch() == step.batches() - 1) {
            closeBar();
        }
    }

    @Override
    public void onEpochEnd(EpochEvent e) {
        closeBar();
        long now = System.nanoTime();
        double s = (now - epochStart) / 1e9;
        epochStart = now;
        seconds.add(s);
        if (json != null) {
            Map<String, Object> fields = new java.util.LinkedHashMap<>();
            fields.put("event", "epoch");
            fields.put("epoch", e.epoch() + 1);
            fields.put("epochs", e.epochs());
            fields.putAll(e.metrics());
            fields.put("seconds", s);
            json.println(jsonLine(fields));
            json.flush();
        }
        boolean last = e.epoch() + 1 == e.epochs();
        if (every > 0 && ((e.epoch() + 1) % every == 0 || last || e.epoch() == 0)) {
            out.println(line(e.epoch(), e.epochs(), e.metrics(), s));
            out.flush();
        }
    }

    /** Erases the bar if one is showing (also when training stops with an exception). */
    void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    /** Seconds per epoch, in order. */
    List<Double> epochSeconds() {
        return seconds;
    }

    static String line(int epoch, int epochs, Map<String, Double> m, double seconds) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s  train loss %.4f", epochLabel(epoch, epochs),
                m.get("loss")));
        append(sb, " acc %.4f", m.get("accuracy"));
        if (m.containsKey("val_loss")) {
            append(sb, " | val loss %.4f", m.get("val_loss"));
            append(sb, " acc %.4f", m.get("val_accuracy"));
            append(sb, " rmse %.4g", m.get("val_rmse"));
            append(sb, " mae %.4g", m.get("val_mae"));
            append(sb, " r2 %.4f", m.get("val_r2"));
        }
        return sb.append(String.format(Locale.ROOT, " | %.2fs", seconds)).toString();
    }

    private static String epochLabel(int epoch, int epochs) {
        int w = Integer.toString(epochs).length();
        return String.format(Locale.ROOT, "epoch %" + w + "d/%d", epoch + 1, epochs);
    }

    private static void append(StringBuilder sb, String format, Double value) {
        if (value != null && !value.isNaN()) {
            sb.append(String.format(Locale.ROOT, format, value));
        }
    }
}
