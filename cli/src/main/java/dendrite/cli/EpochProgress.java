package dendrite.cli;

import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress bar of one epoch: steps done of the total, steps per second, ETA and the running
 * mean loss, redrawn in place on stderr; erased when the epoch ends, so that the epoch's summary
 * line takes its place. When disabled (stderr is not a terminal, or {@code --no-progress}) it
 * does nothing: a log file gets the epoch lines, not hundreds of redraws.
 */
final class EpochProgress implements AutoCloseable {
    private static final int WIDTH = 100;

    private final ProgressBar bar;
    private final LineConsumer consumer;
    private double lossSum;
    private long steps;

    private EpochProgress(ProgressBar bar, LineConsumer consumer) {
        this.bar = bar;
        this.consumer = consumer;
    }

    /** A bar for {@code totalSteps} mini-batches, or a no-op one when {@code enabled} is false. */
    static EpochProgress start(String task, long totalSteps, boolean enabled, PrintWriter err) {
        if (!enabled) {
            return new EpochProgress(null, null);
        }
        LineConsumer consumer = new LineConsumer(err);
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(totalSteps)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(100)
                .setUnit(" steps", 1)
                .showSpeed()
                .setSpeedUnit(ChronoUnit.SECONDS)
                .setConsumer(consumer)
                .build();
        return new EpochProgress(bar, consumer);
    }

    /**
     * A step done, with its loss, that ends at mini-batch {@code batchesDone}: one batch further, or
     * several when the step accumulated their gradients.
     */
    void step(double loss, long batchesDone) {
        lossSum += loss;
        steps++;
        if (bar != null) {
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", lossSum / steps));
            bar.stepTo(batchesDone);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            consumer.erase();
        }
    }

    /**
     * Whether stderr looks like a terminal worth drawing on. {@code System.console()} is null
     * when the streams are redirected on JDK 21; from JDK 22 it is a console object either way and
     * {@code Console.isTerminal()} (looked up reflectively: the code targets 21) tells.
     */
    static boolean terminalAttached() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** Draws each rendering over the last one with a carriage return. */
    private static final class LineConsumer implements ProgressBarConsumer {
        private final PrintWriter err;

        LineConsumer(PrintWriter err) {
            this.err = err;
        }

        @Override
        public int getMaxRenderedLength() {
            return WIDTH;
        }

        @Override
        public void accept(String rendered) {
            err.print('\r');
            err.print(rendered);
            err.flush();
        }

        void erase() {
            err.print('\r');
            err.print(" ".repeat(WIDTH));
            err.print('\r');
            err.flush();
        }

        @Override
        public void close() {
        }
    }
}
