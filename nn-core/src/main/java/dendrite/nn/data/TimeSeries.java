package dendrite.nn.data;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A multivariate time series: named columns sampled at regular steps, kept row by row (one row per
 * step), and cut into windows for a forecasting model.
 *
 * <p>{@link #windows} makes the supervised set: sample i is the input columns over steps
 * {@code [i, i + window)} as a {@code [window, inputs]} sequence (what a recurrent layer reads), and
 * its target is the target column {@code horizon} steps after the window's last step. Consecutive
 * samples overlap, so split them with {@link Splits#chronological}, never at random: a random split
 * would train on the very steps a test window predicts.
 *
 * <pre>{@code
 * TimeSeries load = TimeSeries.readCsv(Path.of("metrics.csv"), ',');
 * Dataset windows = load.windows(load.columns(), "load", 48, 1);    // the next hour from two days
 * DataSplit split = Splits.chronological(windows, 0.1, 0.2);
 * }</pre>
 */
public final class TimeSeries {
    private static final int MAX_VALUES = Integer.MAX_VALUE - 8;
    private final String name;
    private final List<String> columns;
    private final float[] values;

    private TimeSeries(String name, List<String> columns, float[] values) {
        this.name = name;
        this.columns = List.copyOf(columns);
        this.values = values;
    }

    /**
     * A series from its rows: {@code values} holds {@code columns.size()} values per step, step after step.
     *
     * @param name the series' name, used in messages and in the names of its window datasets; not {@code null}
     * @param columns the column names, at least one, all different; copied
     * @param values the values, {@code columns.size()} per step, step after step, all finite; copied
     * @return a new series of {@code values.length / columns.size()} steps
     * @throws IllegalArgumentException when the values are not whole rows, a name repeats, or a value is not finite
     * @throws NullPointerException if {@code name}, {@code columns} or {@code values} is {@code null}
     */
    public static TimeSeries of(String name, List<String> columns, float[] values) {
        Objects.requireNonNull(name, "time series: name");
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("time series " + name + ": no columns");
        }
        if (columns.stream().distinct().count() != columns.size()) {
            throw new IllegalArgumentException("time series " + name + ": a column name repeats in " + columns);
        }
        if (values.length % columns.size() != 0) {
            throw new IllegalArgumentException("time series " + name + ": " + values.length + " values are not whole rows of "
                    + columns.size() + " columns");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("time series " + name + ": step " + i / columns.size() + " (0-based), column "
                        + columns.get(i % columns.size()) + " is " + values[i] + "; fill or drop missing values first");
            }
        }
        return new TimeSeries(name, columns, values.clone());
    }

    /**
     * Every column of a CSV file with a header, in file order, one row per step.
     *
     * @param file a UTF-8 CSV file (gzip-compressed or not) with a header row and only numeric, finite values
     * @param delimiter the field separator, e.g. {@code ,} or {@code ;}
     * @return a new series named after the file (its whole file name), with the header's column names
     * @throws DatasetFormatException if a value is missing or not a number, naming its line and column
     * @throws IOException if the file cannot be read
     */
    public static TimeSeries readCsv(Path file, char delimiter) throws IOException {
        CsvReader reader = new CsvReader().delimiter(delimiter);
        List<String> names = reader.columnNames(file);
        Dataset table = reader.noTargets().read(file);
        String base = file.getFileName().toString();
        return of(base, names, table.features());
    }

    /**
     * The series' name.
     *
     * @return the name given to {@link #of} (the file name for {@link #readCsv})
     */
    public String name() {
        return name;
    }

    /**
     * The column names in order.
     *
     * @return an unmodifiable list of the names, in the order of the values within a step
     */
    public List<String> columns() {
        return columns;
    }

    /**
     * The number of steps.
     *
     * @return the number of rows, {@code >= 0}
     */
    public int length() {
        return values.length / columns.size();
    }

    /**
     * One column's values, step by step (a copy).
     *
     * @param column the column's name
     * @return a new array of {@link #length()} values, first step first
     * @throws IllegalArgumentException if there is no such column
     */
    public float[] column(String column) {
        int c = index(column);
        float[] out = new float[length()];
        for (int t = 0; t < out.length; t++) {
            out[t] = values[t * columns.size() + c];
        }
        return out;
    }

    /**
     * The forecasting set: for every step where a whole window and its target fit, the window of
     * {@code inputs} ({@code [window, inputs.size()]}) and the {@code target} column {@code horizon}
     * steps after the window's last step (1: the next step).
     *
     * @param inputs the input columns, in the order of each step's features; at least one, and may include
     *               the target
     * @param target the column to forecast
     * @param window the number of consecutive steps in each input sequence, at least 1
     * @param horizon how many steps after the window's last step the target is taken, at least 1
     * @return a new regression dataset of {@code length() - window - horizon + 1} samples in time order, each of
     *         shape {@code [window, inputs.size()]} with one target
     * @throws IllegalArgumentException for an unknown column, a window or horizon below 1, a series
     *                                  too short for one sample, or windows of more values than an array holds
     */
    public Dataset windows(List<String> inputs, String target, int window, int horizon) {
        if (window < 1 || horizon < 1) {
            throw new IllegalArgumentException("time series " + name + ": window " + window + " and horizon " + horizon
                    + " must both be at least 1");
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("time series " + name + ": no input columns");
        }
        int[] in = new int[inputs.size()];
        for (int j = 0; j < in.length; j++) {
            in[j] = index(inputs.get(j));
        }
        int tc = index(target);
        long fit = (long) length() - window - horizon + 1;   // in long: a window and horizon near 2^31 wrap an int
        if (fit < 1) {
            throw new IllegalArgumentException("time series " + name + ": " + length() + " steps are too few for a window of "
                    + window + " and a horizon of " + horizon + " (need at least " + ((long) window + horizon) + ")");
        }
        int samples = (int) fit;
        int c = columns.size();
        float[] x = new float[valuesOfWindows(samples, window, in.length)];
        float[] y = new float[samples];
        int k = 0;
        for (int i = 0; i < samples; i++) {
            for (int t = i; t < i + window; t++) {
                for (int col : in) {
                    x[k++] = values[t * c + col];
                }
            }
            y[i] = values[(i + window - 1 + horizon) * c + tc];
        }
        return Dataset.regression(name + " (window " + window + ", horizon " + horizon + ")", x,
                new int[] {window, in.length}, y, 1);
    }

    /**
     * The inputs of every window that fits, for forecasting beyond the data: {@code length() - window + 1}
     * windows of {@code [window, inputs.size()]}, row-major, the last one ending at the last step (its
     * forecast is for {@code horizon} steps past the data).
     *
     * @param inputs the input columns, in the order the model was trained with
     * @param window the number of steps in each window, in [1, length()]
     * @return a new array of {@code (length() - window + 1) * window * inputs.size()} values, in time order
     * @throws IllegalArgumentException for an unknown column, a window below 1 or longer than the series, or
     *                                  windows of more values than an array holds
     */
    public float[] forecastWindows(List<String> inputs, int window) {
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("time series " + name + ": no input columns");
        }
        if (window < 1 || window > length()) {
            throw new IllegalArgumentException("time series " + name + ": " + length() + " steps do not hold a window of "
                    + window);
        }
        int[] in = new int[inputs.size()];
        for (int j = 0; j < in.length; j++) {
            in[j] = index(inputs.get(j));
        }
        int samples = length() - window + 1;
        int c = columns.size();
        float[] x = new float[valuesOfWindows(samples, window, in.length)];
        int k = 0;
        for (int i = 0; i < samples; i++) {
            for (int t = i; t < i + window; t++) {
                for (int col : in) {
                    x[k++] = values[t * c + col];
                }
            }
        }
        return x;
    }

    /**
     * The naive forecast of each window (its target column's last value, what "tomorrow is like
     * today" predicts), in the order of {@link #windows}: the baseline a forecaster must beat.
     *
     * @param target the column to forecast
     * @param window the window length used for {@link #windows}, at least 1
     * @param horizon the horizon used for {@link #windows}, at least 1
     * @return a new array with one forecast per sample of {@link #windows}, empty when the series is too short
     * @throws IllegalArgumentException if there is no such column
     */
    public float[] lastValueForecast(String target, int window, int horizon) {
        if (window < 1 || horizon < 1) {
            throw new IllegalArgumentException("time series " + name + ": window " + window + " and horizon " + horizon
                    + " must both be at least 1");
        }
        int tc = index(target);
        int samples = (int) Math.max(0, (long) length() - window - horizon + 1);
        float[] out = new float[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = values[(i + window - 1) * columns.size() + tc];
        }
        return out;
    }

    /**
     * The values of {@code samples} windows of {@code [window, inputs]}, refused before anything is
     * allocated when more than an array holds: windows overlap, so they hold up to window times the series.
     */
    private int valuesOfWindows(int samples, int window, int inputs) {
        long perInput = (long) samples * window;   // two ints: fits a long, the third factor may not
        if (perInput > MAX_VALUES / inputs) {
            BigInteger n = BigInteger.valueOf(perInput).multiply(BigInteger.valueOf(inputs));
            throw new IllegalArgumentException("time series " + name + ": " + samples + " windows of [" + window + ", "
                    + inputs + "] are " + n + " values, more than an array can hold (at most " + MAX_VALUES + ")");
        }
        return (int) (perInput * inputs);
    }

    private int index(String column) {
        int c = columns.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException("time series " + name + " has no column '" + column + "'; its columns are "
                    + String.join(", ", columns));
        }
        return c;
    }

    /**
     * All columns but {@code excluded}, in order.
     *
     * @param excluded the names to leave out; names that are not columns are ignored
     * @return a new mutable list of the remaining names, in column order
     */
    public List<String> columnsExcept(List<String> excluded) {
        List<String> out = new ArrayList<>();
        for (String col : columns) {
            if (!excluded.contains(col)) {
                out.add(col);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "TimeSeries[" + name + ", " + length() + " steps, " + columns + "]";
    }
}
