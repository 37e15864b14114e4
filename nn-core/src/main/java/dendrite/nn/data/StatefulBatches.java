package dendrite.nn.data;

import java.util.List;

/**
 * A long series or token stream cut into consecutive chunks and ordered for a stateful recurrent
 * model, as PyTorch's word-language-model {@code batchify}: the stream is split into {@code rows}
 * streams of equal length (what does not divide evenly is dropped from the end), each stream cut into
 * chunks of {@code steps}, and batch k holds chunk k of every stream, so that row i of batch k + 1
 * continues row i of batch k.
 *
 * <p>A model whose recurrent layers are stateful ({@code Recurrent.stateful()}) then carries its state
 * from batch to batch and learns dependencies longer than a chunk, while backpropagation is truncated
 * to one chunk. Train with {@code batchSize(rows)} and {@code shuffle(false)}, so that the trainer's
 * batch b is the rows {@code [b * rows, (b + 1) * rows)} of the dataset, and reset the state at every
 * epoch ({@code ResetRecurrentState}):
 *
 * <pre>{@code
 * Dataset train = StatefulBatches.series(series, series.columns(), "load", 8, 1, 32);   // 32 streams
 * Sequential m = Sequential.builder(8, series.columns().size()).add(new LSTM(-1, 64, false).stateful())
 *         .dense(1).build(backend, 42);
 * Trainer.builder(m).loss(Losses.mse()).optimizer(new Adam(1e-3)).batchSize(32).shuffle(false)
 *         .listener(new ResetRecurrentState()).build().fit(train);
 * }</pre>
 * Each sample is many-to-one: its chunk's steps, and one target after its last step.
 */
public final class StatefulBatches {
    private StatefulBatches() {
    }

    /**
     * The order that turns {@code chunks} consecutive chunks into stateful batches of {@code rows}:
     * position {@code k * rows + i} (row i of batch k) holds chunk {@code i * (chunks / rows) + k}.
     *
     * @param chunks the number of consecutive chunks, chunk j + 1 continuing chunk j
     * @param rows   the batch size (the number of parallel streams), at least 1
     * @return a new array of {@code (chunks / rows) * rows} chunk indices; the last {@code chunks % rows}
     *         chunks are left out, as {@code batchify} leaves them
     * @throws IllegalArgumentException if {@code rows} is below 1 or above {@code chunks}
     */
    public static int[] order(int chunks, int rows) {
        if (rows < 1 || rows > chunks) {
            throw new IllegalArgumentException("stateful batches: " + rows + " rows (the batch size) must be between 1 and the "
                    + chunks + " chunks of the series");
        }
        int perRow = chunks / rows;
        int[] order = new int[perRow * rows];
        for (int k = 0; k < perRow; k++) {
            for (int i = 0; i < rows; i++) {
                order[k * rows + i] = i * perRow + k;
            }
        }
        return order;
    }

    /**
     * Consecutive chunks (sample j + 1 continuing sample j, e.g. {@code text.windows(steps, steps)})
     * reordered into stateful batches of {@code rows}, by {@link #order}.
     *
     * @param chunks the samples in stream order, each continuing the one before
     * @param rows   the batch size, at least 1 and at most {@code chunks.size()}
     * @return a new dataset of {@code (chunks.size() / rows) * rows} samples
     * @throws IllegalArgumentException if {@code rows} is below 1 or above the number of chunks
     */
    public static Dataset arrange(Dataset chunks, int rows) {
        int[] order = order(chunks.size(), rows);
        return chunks.subset(order, 0, order.length, chunks.name() + " (stateful, " + rows + " rows)");
    }

    /**
     * A character or word language model's set: chunks of {@code steps} token ids, each with the id of the
     * token after it as its class, in stateful batches of {@code rows}.
     *
     * @param text  the corpus
     * @param steps tokens per chunk, at least 1
     * @param rows  the batch size, at least 1
     * @return a new classification dataset of samples {@code [steps]}, the vocabulary as its classes
     * @throws IllegalArgumentException for a bad size, or a text too short for {@code rows} chunks
     */
    public static Dataset text(TextCorpus text, int steps, int rows) {
        return arrange(text.windows(steps, steps), rows);
    }

    /**
     * A forecasting set: chunks of {@code steps} consecutive steps of the {@code inputs} columns
     * ({@code [steps, inputs.size()]}), each with the {@code target} column {@code horizon} steps after its
     * last step, in stateful batches of {@code rows}.
     *
     * @param series  the series
     * @param inputs  the input columns, in the order of each step's features; at least one
     * @param target  the column to forecast
     * @param steps   steps per chunk, at least 1
     * @param horizon how far after a chunk's last step its target is taken, at least 0 (0: that step itself,
     *                for a target that is not an input)
     * @param rows    the batch size, at least 1
     * @return a new regression dataset of samples {@code [steps, inputs.size()]} with one target each
     * @throws IllegalArgumentException for an unknown column, a bad size, or a series too short for
     *                                  {@code rows} chunks
     */
    public static Dataset series(TimeSeries series, List<String> inputs, String target, int steps, int horizon, int rows) {
        if (steps < 1 || horizon < 0) {
            throw new IllegalArgumentException("stateful batches of " + series.name() + ": steps " + steps
                    + " must be at least 1 and horizon " + horizon + " at least 0");
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("stateful batches of " + series.name() + ": no input columns");
        }
        float[][] columns = new float[inputs.size()][];
        for (int j = 0; j < columns.length; j++) {
            columns[j] = series.column(inputs.get(j));
        }
        float[] y = series.column(target);
        int chunks = (series.length() - horizon) / steps;   // chunk j's target, step (j + 1) steps - 1 + horizon, exists
        if (chunks < rows || rows < 1) {
            throw new IllegalArgumentException("stateful batches of " + series.name() + ": " + series.length() + " steps make "
                    + Math.max(chunks, 0) + " chunks of " + steps + " (with a horizon of " + horizon + "), not enough for "
                    + rows + " rows");
        }
        float[] x = new float[chunks * steps * columns.length];
        float[] targets = new float[chunks];
        int k = 0;
        for (int c = 0; c < chunks; c++) {
            for (int t = c * steps; t < (c + 1) * steps; t++) {
                for (float[] column : columns) {
                    x[k++] = column[t];
                }
            }
            targets[c] = y[(c + 1) * steps - 1 + horizon];
        }
        Dataset consecutive = Dataset.regression(series.name() + " (chunks of " + steps + ", horizon " + horizon + ")", x,
                new int[] {steps, columns.length}, targets, 1);
        return arrange(consecutive, rows);
    }
}
