package dendrite.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The matmul charts: GFLOPS against N for the square products, one line per backend with
 * OpenBLAS drawn as the black dashed reference; and GFLOPS per MLP product as grouped bars.
 */
final class GflopsChart {
    static final int WIDTH = 800;
    static final int HEIGHT = 500;
    /** Tableau's colours, distinct to most eyes; OpenBLAS is black. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b)};

    static {
        // Charts are files, never windows: AWT must not look for a display.
        System.setProperty("java.awt.headless", "true");
    }

    private GflopsChart() {
    }

    /** Writes the charts the results have data for; returns their paths. */
    static List<Path> write(List<Result> results, Path folder) throws IOException {
        List<Path> written = new ArrayList<>();
        Map<String, List<Result>> square = perBackend(results, "MatmulBenchmark.square");
        if (!square.isEmpty()) {
            Path file = folder.resolve("matmul-gflops.png");
            BitmapEncoder.saveBitmap(squareChart(square), file.toString(), BitmapFormat.PNG);
            written.add(file);
        }
        Map<String, List<Result>> mlp = perBackend(results, "MatmulBenchmark.mlp");
        if (!mlp.isEmpty()) {
            Path file = folder.resolve("matmul-mlp.png");
            BitmapEncoder.saveBitmap(mlpChart(mlp), file.toString(), BitmapFormat.PNG);
            written.add(file);
        }
        return written;
    }

    /**
     * A line per backend over N as evenly spaced categories (the sizes are powers of two, which a
     * linear axis would crowd and XChart's base-10 log axis would leave unlabelled); a size a
     * backend lacks is a gap.
     */
    static CategoryChart squareChart(Map<String, List<Result>> perBackend) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("sgemm, square N x N x N").xAxisTitle("N").yAxisTitle("GFLOPS").build();
        chart.getStyler().setDefaultSeriesRenderStyle(CategorySeriesRenderStyle.Line);
        chart.getStyler().setOverlapped(true);                // points of all series at the same N
        chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        List<Integer> sizes = perBackend.values().stream().flatMap(List::stream).map(GflopsChart::n).distinct()
                .sorted().toList();
        List<String> labels = sizes.stream().map(String::valueOf).toList();
        int colour = 0;
        for (Map.Entry<String, List<Result>> e : perBackend.entrySet()) {
            List<Double> y = new ArrayList<>();
            for (int size : sizes) {
                y.add(e.getValue().stream().filter(r -> n(r) == size).map(Result::gflops).findFirst().orElse(null));
            }
            boolean reference = e.getKey().equals(Report.OPENBLAS);
            CategorySeries s = chart.addSeries(reference ? "OpenBLAS (netlib-native)" : e.getKey(), labels, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            if (reference) {
                s.setLineColor(Color.BLACK);
                s.setMarkerColor(Color.BLACK);
                s.setLineStyle(new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                        new float[] {8f, 5f}, 0f));
            } else {
                Color c = PALETTE[colour++ % PALETTE.length];
                s.setLineColor(c);
                s.setMarkerColor(c);
            }
        }
        return chart;
    }

    static CategoryChart mlpChart(Map<String, List<Result>> perBackend) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title("sgemm, the MLP's products at batch 128").xAxisTitle("product").yAxisTitle("GFLOPS").build();
        chart.getStyler().setLegendPosition(LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        List<String> shapes = new ArrayList<>();
        perBackend.values().forEach(l -> l.forEach(r -> {
            if (!shapes.contains(r.params().get("shape"))) {
                shapes.add(r.params().get("shape"));
            }
        }));
        int colour = 0;
        for (Map.Entry<String, List<Result>> e : perBackend.entrySet()) {
            List<Double> y = new ArrayList<>();
            for (String shape : shapes) {
                y.add(e.getValue().stream().filter(r -> shape.equals(r.params().get("shape")))
                        .mapToDouble(Result::gflops).findFirst().orElse(0));
            }
            boolean reference = e.getKey().equals(Report.OPENBLAS);
            chart.addSeries(reference ? "OpenBLAS (netlib-native)" : e.getKey(), shapes, y)
                    .setFillColor(reference ? Color.DARK_GRAY : PALETTE[colour++ % PALETTE.length]);
        }
        return chart;
    }

    /** The results of one benchmark, grouped by backend in the report's backend order. */
    private static Map<String, List<Result>> perBackend(List<Result> results, String benchmark) {
        Map<String, List<Result>> m = new LinkedHashMap<>();
        for (Result r : Report.sorted(results)) {
            if (r.benchmark().equals(benchmark) && !Double.isNaN(r.gflops())) {
                m.computeIfAbsent(r.backend(), k -> new ArrayList<>()).add(r);
            }
        }
        return m;
    }

    private static int n(Result r) {
        return Integer.parseInt(r.params().get("n"));
    }
}
