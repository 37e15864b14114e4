package dendrite.cli;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dendrite.nn.internal.AtomicFile;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The pictures {@code dendrite train} and {@code dendrite eval} write, drawn with XChart from
 * plain arrays (so they can be tested without training anything): loss and accuracy curves,
 * a confusion-matrix heat map, and a decision boundary for 2-D data.
 */
final class Charts {
    /** Size of one curve panel; the curves file is one panel wide, or two with accuracy. */
    static final int PANEL_WIDTH = 560;
    static final int PANEL_HEIGHT = 420;
    static final int CONFUSION_WIDTH = 720;
    static final int CONFUSION_HEIGHT = 640;
    static final int BOUNDARY_WIDTH = 640;
    static final int BOUNDARY_HEIGHT = 600;

    /** Tableau's ten colours: distinct to most eyes, including the common colour-blindnesses. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
        new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    static {
        // Charts are files, never windows: make sure AWT does not look for a display.
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** Per-epoch metrics for the curves; the validation and accuracy arrays may be null. */
    record Curves(double[] trainLoss, double[] valLoss, double[] trainAccuracy, double[] valAccuracy) {
        boolean hasAccuracy() {
            return trainAccuracy != null || valAccuracy != null;
        }
    }

    /**
     * Loss per epoch, and beside it accuracy per epoch when there is one, for the training and
     * validation sets. The file is {@code PANEL_WIDTH} (or twice that) by {@code PANEL_HEIGHT}.
     */
    static void curves(Curves c, String title, Path file) throws IOException {
        XYChart loss = panel(title + ": loss", "loss");
        addLine(loss, "train", c.trainLoss(), PALETTE[0]);
        addLine(loss, "validation", c.valLoss(), PALETTE[1]);
        if (!c.hasAccuracy()) {
            write(loss, file);
            return;
        }
        XYChart acc = panel(title + ": accuracy", "accuracy");
        addLine(acc, "train", c.trainAccuracy(), PALETTE[0]);
        addLine(acc, "validation", c.valAccuracy(), PALETTE[1]);
        acc.getStyler().setLegendPosition(LegendPosition.InsideSE);
        save(List.of(loss, acc), 1, 2, file);
    }

    /**
     * A learning-rate range test: each step's loss (light) and their smoothed curve against the rate
     * on a logarithmic axis, with a vertical line at the suggested rate when there is one.
     */
    static void learningRateRange(double[] rates, double[] losses, double[] smoothed, double suggestion, String title,
            Path file) throws IOException {
        XYChart chart = panel(title, "loss");
        chart.setXAxisTitle("learning rate");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("0.#E0");
        chart.getStyler().setMarkerSize(0);
        // The batch losses past the blow-up would flatten the curve to a line: the axis stops a bit above
        // the smoothed curve's highest point, as fastai's plot ends where its test stopped.
        double top = java.util.Arrays.stream(smoothed).filter(Double::isFinite).max().orElse(1);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.25 * top);
        XYSeries raw = chart.addSeries("batch loss", rates, losses);
        raw.setLineColor(blend(PALETTE[0], Color.WHITE, 0.6));
        raw.setMarker(SeriesMarkers.NONE);
        XYSeries curve = chart.addSeries("smoothed", rates, smoothed);
        curve.setLineColor(PALETTE[0]);
        curve.setMarker(SeriesMarkers.NONE);
        if (!Double.isNaN(suggestion)) {
            double low = java.util.Arrays.stream(smoothed).min().orElse(0);
            double high = java.util.Arrays.stream(smoothed).max().orElse(1);
            XYSeries mark = chart.addSeries(String.format(java.util.Locale.ROOT, "suggested %.3g", suggestion),
                    new double[] {suggestion, suggestion}, new double[] {low, high});
            mark.setLineColor(PALETTE[3]);
            mark.setMarker(SeriesMarkers.NONE);
        }
        write(chart, file);
    }

    private static XYChart panel(String title, String yTitle) {
        XYChart chart = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).build();
        chart.setTitle(title);
        chart.setXAxisTitle("epoch");
        chart.setYAxisTitle(yTitle);
        chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xe0e0e0));
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setDecimalPattern("#.###");
        return chart;
    }

    private static void addLine(XYChart chart, String name, double[] values, Color color) {
        if (values == null || values.length == 0) {
            return;
        }
        double[] epochs = new double[values.length];
        for (int i = 0; i < epochs.length; i++) {
            epochs[i] = i + 1;
        }
        XYSeries s = chart.addSeries(name, epochs, values);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(SeriesMarkers.CIRCLE);
    }

    /**
     * The confusion matrix as a heat map with the count in each cell: true classes down the
     * side (first class at the top), predicted classes along the bottom.
     *
     * @param counts {@code counts[true][predicted]}
     */
    static void confusion(int[][] counts, List<String> classNames, String title, Path file) throws IOException {
        int k = counts.length;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            names.add(i < classNames.size() ? classNames.get(i) : String.valueOf(i));
        }
        List<String> rows = new ArrayList<>(names.reversed());
        List<Number[]> cells = new ArrayList<>();
        int max = 1;
        for (int t = 0; t < k; t++) {
            for (int p = 0; p < k; p++) {
                // Heat-map row 0 is drawn at the bottom; true class 0 belongs at the top.
                cells.add(new Number[] {p, k - 1 - t, counts[t][p]});
                max = Math.max(max, counts[t][p]);
            }
        }
        // The builder, not the constructor: only the builder gives the styler its theme defaults.
        HeatMapChart chart = new HeatMapChartBuilder().width(CONFUSION_WIDTH).height(CONFUSION_HEIGHT).build();
        chart.setTitle(title);
        chart.setXAxisTitle("predicted");
        chart.setYAxisTitle("true");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(false);
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("#");
        chart.getStyler().setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, k > 12 ? 8 : 12));
        chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(0x9ecae1), new Color(0x08519c)});
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(max);
        chart.getStyler().setXAxisLabelRotation(names.stream().anyMatch(n -> n.length() > 3) ? 45 : 0);
        chart.getStyler().setLegendVisible(false);
        chart.addSeries("counts", names, rows, cells);
        write(chart, file);
    }

    /**
     * A decision boundary: the class the model predicts at each point of a grid, as a light
     * background, with the data points on top in the full colour of their true class.
     *
     * @param xs     grid x coordinates, ascending
     * @param ys     grid y coordinates, ascending
     * @param grid   {@code grid[iy][ix]}: the class predicted at ({@code xs[ix]}, {@code ys[iy]})
     * @param points the data, x and y interleaved
     * @param labels the true class of each point
     */
    static void decisionBoundary(double[] xs, double[] ys, int[][] grid, float[] points, int[] labels,
            List<String> classNames, String title, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(BOUNDARY_WIDTH).height(BOUNDARY_HEIGHT).build();
        chart.setTitle(title);
        chart.setXAxisTitle("x1");
        chart.setYAxisTitle("x2");
        var styler = chart.getStyler();
        styler.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesVisible(false);
        styler.setLegendPosition(LegendPosition.OutsideE);
        styler.setMarkerSize(7);
        styler.setXAxisMin(xs[0]);
        styler.setXAxisMax(xs[xs.length - 1]);
        styler.setYAxisMin(ys[0]);
        styler.setYAxisMax(ys[ys.length - 1]);
        styler.setDecimalPattern("#.#");
        int classes = 0;
        for (int[] row : grid) {
            for (int c : row) {
                classes = Math.max(classes, c + 1);
            }
        }
        for (int l : labels) {
            classes = Math.max(classes, l + 1);
        }
        // The cells overlap a little (the plot's pixel size is only known to XChart), so that no
        // white seams show between them.
        int cell = (int) Math.ceil(1.3 * BOUNDARY_WIDTH / xs.length);
        for (int c = 0; c < classes; c++) {
            List<Double> cx = new ArrayList<>();
            List<Double> cy = new ArrayList<>();
            for (int iy = 0; iy < ys.length; iy++) {
                for (int ix = 0; ix < xs.length; ix++) {
                    if (grid[iy][ix] == c) {
                        cx.add(xs[ix]);
                        cy.add(ys[iy]);
                    }
                }
            }
            if (!cx.isEmpty()) {
                XYSeries s = chart.addSeries("region " + c, cx, cy);
                s.setMarker(new FixedSquare(cell));
                s.setMarkerColor(blend(color(c), Color.WHITE, 0.7));
                s.setShowInLegend(false);
            }
        }
        for (int c = 0; c < classes; c++) {
            List<Double> px = new ArrayList<>();
            List<Double> py = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    px.add((double) points[2 * i]);
                    py.add((double) points[2 * i + 1]);
                }
            }
            if (!px.isEmpty()) {
                XYSeries s = chart.addSeries(c < classNames.size() ? classNames.get(c) : "class " + c, px, py);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(color(c));
            }
        }
        write(chart, file);
    }

    /** A 1-D regression: the data as points and the model's curve over them. */
    static void fit(float[] x, float[] y, double[] curveX, double[] curveY, String title, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(BOUNDARY_WIDTH).height(BOUNDARY_HEIGHT).build();
        chart.setTitle(title);
        chart.setXAxisTitle("x");
        chart.setYAxisTitle("y");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setDecimalPattern("#.##");
        double[] dx = new double[x.length];
        double[] dy = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            dx[i] = x[i];
            dy[i] = y[i];
        }
        XYSeries data = chart.addSeries("data", dx, dy);
        data.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        data.setMarkerColor(blend(PALETTE[0], Color.WHITE, 0.3));
        XYSeries model = chart.addSeries("model", curveX, curveY);
        model.setMarker(SeriesMarkers.NONE);
        model.setLineColor(PALETTE[3]);
        write(chart, file);
    }

    /**
     * A regression's predictions against the true values, with the diagonal a perfect model would
     * lie on: points above it are over-estimates.
     */
    static void predictedAgainstActual(float[] actual, float[] predicted, String title, Path file) throws IOException {
        XYChart chart = scatter(title, "actual", "predicted");
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < actual.length; i++) {
            lo = Math.min(lo, Math.min(actual[i], predicted[i]));
            hi = Math.max(hi, Math.max(actual[i], predicted[i]));
        }
        addPoints(chart, "samples", actual, predicted);
        XYSeries diagonal = chart.addSeries("predicted = actual", new double[] {lo, hi}, new double[] {lo, hi});
        diagonal.setMarker(SeriesMarkers.NONE);
        diagonal.setLineColor(PALETTE[3]);
        write(chart, file);
    }

    /**
     * Residuals (actual minus predicted) against the prediction: a good fit leaves a band of even
     * width around zero; a curve or a funnel shows what the model has not learned.
     */
    static void residuals(float[] actual, float[] predicted, String title, Path file) throws IOException {
        XYChart chart = scatter(title, "predicted", "residual (actual - predicted)");
        float[] residual = new float[actual.length];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < actual.length; i++) {
            residual[i] = actual[i] - predicted[i];
            lo = Math.min(lo, predicted[i]);
            hi = Math.max(hi, predicted[i]);
        }
        addPoints(chart, "samples", predicted, residual);
        XYSeries zero = chart.addSeries("zero", new double[] {lo, hi}, new double[] {0, 0});
        zero.setMarker(SeriesMarkers.NONE);
        zero.setLineColor(PALETTE[3]);
        write(chart, file);
    }

    /**
     * A forecast over time: the true series, the model's forecast and, when given, the last-value
     * forecast a model must beat, each step of the scored part in order.
     */
    static void forecast(float[] actual, float[] predicted, float[] naive, String title, Path file) throws IOException {
        XYChart chart = new XYChartBuilder().width(2 * BOUNDARY_WIDTH).height(BOUNDARY_HEIGHT).build();
        chart.setTitle(title);
        chart.setXAxisTitle("step");
        chart.setYAxisTitle("value");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(LegendPosition.InsideNW);
        chart.getStyler().setDecimalPattern("#.##");
        addLine(chart, "actual", toDoubles(actual), Color.DARK_GRAY);
        addLine(chart, "forecast", toDoubles(predicted), PALETTE[3]);
        if (naive != null) {
            addLine(chart, "last value", toDoubles(naive), blend(PALETTE[0], Color.WHITE, 0.4));
        }
        chart.getSeriesMap().values().forEach(s -> s.setMarker(SeriesMarkers.NONE));   // hundreds of steps
        write(chart, file);
    }

    private static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static XYChart scatter(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(BOUNDARY_WIDTH).height(BOUNDARY_HEIGHT).build();
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(LegendPosition.InsideNW);
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setDecimalPattern("#.##");
        return chart;
    }

    private static void addPoints(XYChart chart, String name, float[] x, float[] y) {
        double[] dx = new double[x.length];
        double[] dy = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            dx[i] = x[i];
            dy[i] = y[i];
        }
        XYSeries points = chart.addSeries(name, dx, dy);
        points.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        points.setMarkerColor(blend(PALETTE[0], Color.WHITE, 0.3));
    }

    // Written through a stream: given a file name, XChart decides the extension itself.
    // Atomically (a temporary file renamed into place): an interrupted run never leaves a 0-byte picture.
    private static void write(Chart<?, ?> chart, Path file) throws IOException {
        AtomicFile.write(file, os -> BitmapEncoder.saveBitmap(chart, os, BitmapFormat.PNG));
    }

    private static void save(List<XYChart> charts, int rows, int cols, Path file) throws IOException {
        List<Chart<?, ?>> list = new ArrayList<>(charts);
        AtomicFile.write(file, os -> BitmapEncoder.saveBitmap(list, rows, cols, os, BitmapFormat.PNG));
    }

    static Color color(int c) {
        Color base = PALETTE[c % PALETTE.length];
        return c < PALETTE.length ? base : base.darker();
    }

    private static Color blend(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() * (1 - t) + b.getRed() * t),
                (int) Math.round(a.getGreen() * (1 - t) + b.getGreen() * t),
                (int) Math.round(a.getBlue() * (1 - t) + b.getBlue() * t));
    }

    /** A filled square of a fixed pixel size, whatever the chart's marker size: one grid cell. */
    private static final class FixedSquare extends Marker {
        private final int size;

        FixedSquare(int size) {
            this.size = size;
        }

        @Override
        public void paint(Graphics2D g, double xOffset, double yOffset, int markerSize) {
            g.fillRect((int) Math.round(xOffset - size / 2.0), (int) Math.round(yOffset - size / 2.0), size, size);
        }
    }
}
