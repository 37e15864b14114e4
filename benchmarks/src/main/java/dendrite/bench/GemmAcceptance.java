package dendrite.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 21's acceptance for the vector backend's GEMM, judged from {@link MatmulBenchmark}'s JMH
 * results against OpenBLAS ({@code netlib-native}) in the same run:
 *
 * <ul>
 *   <li>the square products from N = {@value #SQUARE_FROM}: at least {@value #SQUARE_BAR} times
 *       OpenBLAS's speed quiet, and JMH's error for vector at most {@value #ERROR_BAR} times OpenBLAS's;</li>
 *   <li>the MLP's products: at least {@value #MLP_BAR} times OpenBLAS's speed quiet;</li>
 *   <li>every product measured both ways: the busy ratio ({@code -p load=busy}) at most
 *       {@value #BUSY_DROP} below the quiet one.</li>
 * </ul>
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dendrite.bench.GemmAcceptance [--out DIR] results.json...
 * </pre>
 *
 * Ratios are of JMH's scores (the mean over every fork's iterations), as the table is; each
 * fork's own mean is listed beside them, so that a score one fork pulled away (a state of the shared
 * host, such as its two vCPUs placed far apart) shows as such. It prints the points and the checks,
 * and writes them to {@code DIR/gemm-acceptance.md} when {@code --out} is given
 * ({@code benchmarks/run.sh gemm} runs the benchmark and this). A point whose OpenBLAS or vector
 * result is missing is listed as not measured, never as holding. The files are one run's (or one set
 * of rounds joined by {@link JmhRounds}, as {@code run.sh gemm} gives them): a second result for the
 * same library, product and load is refused rather than either one kept.
 *
 * <p>Given {@link FmaPeakBenchmark}'s two-thread result too, it also lists each library's GFLOPS on the
 * quiet squares as a share of that peak: how much room either library had left to gain on the other
 * (informational; no bar depends on it).
 */
public final class GemmAcceptance {
    /** The smallest square size the acceptance covers. */
    static final int SQUARE_FROM = 512;
    /** Vector's speed over OpenBLAS's that the square products need, quiet. */
    static final double SQUARE_BAR = 1.0;
    /** Vector's speed over OpenBLAS's that each MLP product needs, quiet. */
    static final double MLP_BAR = 0.9;
    /** How many times OpenBLAS's JMH error vector's may be on the square products. */
    static final double ERROR_BAR = 2.0;
    /** How far the busy ratio may fall below the quiet one. */
    static final double BUSY_DROP = 0.1;
    /** The MLP's products in the order of MatmulBenchmark's shape parameter: layer by layer, forward first. */
    static final List<String> MLP_ORDER = List.of("fc1.fwd", "fc1.dW", "fc2.fwd", "fc2.dW", "fc2.dX", "fc3.fwd", "fc3.dW",
            "fc3.dX");

    private GemmAcceptance() {
    }

    /** One product under one load: the vector backend's result and OpenBLAS's (either may be missing). */
    record Point(String product, boolean square, String load, Result vector, Result openblas) {
        /** N of a square product ({@code 512³}: 512). */
        int size() {
            return Integer.parseInt(product.replace("³", ""));
        }

        boolean measured() {
            return vector != null && openblas != null;
        }

        /** Vector's speed over OpenBLAS's: OpenBLAS's mean time over vector's. */
        double ratio() {
            return openblas.seconds(openblas.score()) / vector.seconds(vector.score());
        }

        /** Vector's JMH error over OpenBLAS's, NaN where either has none. */
        double errorRatio() {
            return vector.seconds(vector.error()) / openblas.seconds(openblas.error());
        }
    }

    /** One bar of the acceptance: what is checked, the bar, what was measured, and whether it holds. */
    record Check(String point, String bar, String measured, boolean holds) {
    }

    public static void main(String[] args) throws IOException {
        Path out = null;
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out")) {
                if (++i >= args.length) {
                    throw new IllegalArgumentException("gemm acceptance: --out needs a folder");
                }
                out = Path.of(args[i]);
            } else if (args[i].equals("-h") || args[i].equals("--help")) {
                System.out.println("usage: GemmAcceptance [--out DIR] results.json...");
                return;
            } else {
                inputs.add(Path.of(args[i]));
            }
        }
        if (inputs.isEmpty()) {
            System.err.println("gemm acceptance: no results given; usage: GemmAcceptance [--out DIR] results.json...");
            System.exit(2);
        }
        List<Result> results = new ArrayList<>();
        for (Path p : inputs) {
            if (!Files.isRegularFile(p)) {
                // A run that failed leaves no file: judge the rest, whose missing points count as not measured.
                System.err.println("gemm acceptance: no results file " + p + "; judging without it");
                continue;
            }
            results.addAll(ResultFiles.read(p).results());
        }
        List<Point> points;
        try {
            points = points(results);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String markdown = markdown(points, twoThreadPeak(results), Machine.describe());
        System.out.print(markdown);
        if (out != null) {
            Files.createDirectories(out);
            Path file = out.resolve("gemm-acceptance.md");
            Files.writeString(file, markdown, StandardCharsets.UTF_8);
            System.out.println("acceptance: " + file);
        }
    }

    /**
     * The matmul results paired by product and load: squares first (by N), then the MLP's products
     * layer by layer; quiet before busy.
     *
     * @throws IllegalArgumentException where one library has two results for a product and load (the
     *         files of two runs)
     */
    static List<Point> points(List<Result> results) {
        Map<Point, Result[]> pairs = new LinkedHashMap<>();
        for (Result r : results) {
            String product = product(r);
            boolean vector = r.backend().equals("vector");
            if (product == null || !vector && !r.backend().equals(Report.OPENBLAS)) {
                continue;
            }
            Point key = new Point(product, r.benchmark().equals("MatmulBenchmark.square"),
                    r.params().getOrDefault("load", "quiet"), null, null);
            Result[] pair = pairs.computeIfAbsent(key, k -> new Result[2]);
            if (pair[vector ? 0 : 1] != null) {
                // Two runs' files: judging by either one alone, silently, would misreport the other.
                throw new IllegalArgumentException("gemm acceptance: two results for " + r.backend() + " at " + product
                        + " " + key.load() + "; give the files of one run");
            }
            pair[vector ? 0 : 1] = r;
        }
        List<Point> points = new ArrayList<>();
        pairs.forEach((k, pair) -> points.add(new Point(k.product(), k.square(), k.load(), pair[0], pair[1])));
        points.sort(Comparator.comparing((Point p) -> !p.square())
                .thenComparingInt(p -> p.square() ? p.size() : mlpIndex(p.product()))
                .thenComparing(Point::product)
                .thenComparingInt(p -> p.load().equals("quiet") ? 0 : p.load().equals("busy") ? 1 : 2)
                .thenComparing(Point::load));
        return points;
    }

    /** A product's place in {@link #MLP_ORDER}; unknown ones after, by name. */
    private static int mlpIndex(String shape) {
        int i = MLP_ORDER.indexOf(shape);
        return i < 0 ? MLP_ORDER.size() : i;
    }

    /** The product a matmul result measures ({@code 512³}, {@code fc3.dX}), or null for other benchmarks. */
    private static String product(Result r) {
        if (r.benchmark().equals("MatmulBenchmark.square") && r.params().containsKey("n")) {
            return r.params().get("n") + "³";
        }
        if (r.benchmark().equals("MatmulBenchmark.mlp") && r.params().containsKey("shape")) {
            return r.params().get("shape");
        }
        return null;
    }

    /**
     * GFLOPS of {@link FmaPeakBenchmark#twoThreads} (JMH's mean), or NaN where the results hold none: the
     * most two threads can compute on this machine, which the square products run on.
     */
    static double twoThreadPeak(List<Result> results) {
        for (Result r : results) {
            if (r.benchmark().equals("FmaPeakBenchmark.twoThreads")) {
                return meanGflops(r);
            }
        }
        return Double.NaN;
    }

    /** The acceptance's checks over these points, in the points' order. */
    static List<Check> checks(List<Point> points) {
        List<Check> checks = new ArrayList<>();
        Map<String, Point> quiet = new LinkedHashMap<>();
        for (Point p : points) {
            if (p.load().equals("quiet")) {
                quiet.put(p.product(), p);
            }
        }
        for (Point p : points) {
            String name = p.product() + ", " + p.load();
            if (p.load().equals("quiet")) {
                if (p.square() && p.size() < SQUARE_FROM) {
                    continue;
                }
                double bar = p.square() ? SQUARE_BAR : MLP_BAR;
                checks.add(p.measured()
                        ? new Check(name, "speed ≥ " + bar + "× OpenBLAS", exact(p.ratio()) + "×", p.ratio() >= bar)
                        : notMeasured(p, name, "speed ≥ " + bar + "× OpenBLAS"));
                if (p.square()) {
                    String errorBar = "error ≤ " + fmt(ERROR_BAR) + "× OpenBLAS's";
                    if (!p.measured()) {
                        checks.add(notMeasured(p, name, errorBar));
                    } else {
                        double e = p.errorRatio();
                        checks.add(Double.isNaN(e)
                                ? new Check(name, errorBar, "no JMH error (too few iterations)", false)
                                : new Check(name, errorBar, exact(e) + "×", e <= ERROR_BAR));
                    }
                }
            } else {
                Point q = quiet.get(p.product());
                String bar = p.load() + " ratio ≥ quiet − " + BUSY_DROP;
                if (q == null) {
                    checks.add(new Check(name, bar, "not measured: no quiet result", false));
                } else if (!p.measured() || !q.measured()) {
                    checks.add(notMeasured(p.measured() ? q : p, name, bar));
                } else {
                    double drop = q.ratio() - p.ratio();
                    checks.add(new Check(name, bar, exact(p.ratio()) + " against " + exact(q.ratio()) + " (" + signed(-drop) + ")",
                            drop <= BUSY_DROP + 1e-12));
                }
            }
        }
        return checks;
    }

    private static Check notMeasured(Point p, String name, String bar) {
        return new Check(name, bar, "not measured: no " + (p.vector() == null ? "vector" : "netlib-native") + " result",
                false);
    }

    /** The points' table, the checks' table and a one-line verdict, without the peak's table. */
    static String markdown(List<Point> points, String machine) {
        return markdown(points, Double.NaN, machine);
    }

    /**
     * The points' table, the quiet squares against the two-thread FMA peak (where {@code peakGflops}
     * is a number), the checks' table and a one-line verdict.
     */
    static String markdown(List<Point> points, double peakGflops, String machine) {
        StringBuilder sb = new StringBuilder();
        sb.append("Issue 21's GEMM acceptance (reported on ").append(machine).append(")\n");
        sb.append("\n| product | load | vector | OpenBLAS | speed ratio | error ratio | vector's forks | OpenBLAS's forks |\n");
        sb.append("|---|---|---:|---:|---:|---:|---|---|\n");
        for (Point p : points) {
            sb.append("| ").append(p.product()).append(" | ").append(p.load())
                    .append(" | ").append(time(p.vector()))
                    .append(" | ").append(time(p.openblas()))
                    .append(" | ").append(p.measured() ? fmt(p.ratio()) : "")
                    .append(" | ").append(p.measured() && !Double.isNaN(p.errorRatio()) ? fmt(p.errorRatio()) : "")
                    .append(" | ").append(forks(p.vector()))
                    .append(" | ").append(forks(p.openblas()))
                    .append(" |\n");
        }
        if (!Double.isNaN(peakGflops)) {
            sb.append(peakTable(points, peakGflops));
        }
        List<Check> checks = checks(points);
        sb.append("\n| point | bar | measured | holds |\n|---|---|---|---|\n");
        int held = 0;
        for (Check c : checks) {
            held += c.holds() ? 1 : 0;
            sb.append("| ").append(c.point()).append(" | ").append(c.bar()).append(" | ").append(c.measured())
                    .append(" | ").append(c.holds() ? "yes" : "**no**").append(" |\n");
        }
        sb.append('\n').append(held).append(" of ").append(checks.size()).append(" checks hold")
                .append(checks.isEmpty() ? " (no MatmulBenchmark results with vector and netlib-native)" : "")
                .append(". Speed ratio: OpenBLAS's mean time over vector's; error ratio: vector's JMH error over"
                        + " OpenBLAS's.\n");
        return sb.toString();
    }

    /** The quiet squares' GFLOPS (from JMH's means) and their share of the two-thread FMA peak. */
    private static String peakTable(List<Point> points, double peakGflops) {
        StringBuilder sb = new StringBuilder();
        sb.append("\nThe quiet squares against the two-thread FMA peak (FmaPeakBenchmark.twoThreads, ")
                .append(Report.format(peakGflops)).append(" GFLOPS), GFLOPS from JMH's means:\n");
        sb.append("\n| product | vector GFLOPS | OpenBLAS GFLOPS | vector, share of peak | OpenBLAS, share of peak |\n");
        sb.append("|---|---:|---:|---:|---:|\n");
        for (Point p : points) {
            if (!p.square() || !p.load().equals("quiet")) {
                continue;
            }
            double v = meanGflops(p.vector());
            double o = meanGflops(p.openblas());
            sb.append("| ").append(p.product())
                    .append(" | ").append(Double.isNaN(v) ? "" : Report.format(v))
                    .append(" | ").append(Double.isNaN(o) ? "" : Report.format(o))
                    .append(" | ").append(Double.isNaN(v) ? "" : percent(v / peakGflops))
                    .append(" | ").append(Double.isNaN(o) ? "" : percent(o / peakGflops))
                    .append(" |\n");
        }
        return sb.toString();
    }

    /** GFLOPS at JMH's mean time (or rate), NaN for a missing result. */
    private static double meanGflops(Result r) {
        return r == null ? Double.NaN : r.flops() / r.seconds(r.score()) / 1e9;
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", 100 * share);
    }

    private static String time(Result r) {
        if (r == null) {
            return "";
        }
        return Report.format(r.score()) + (Double.isNaN(r.error()) ? "" : " ± " + Report.format(r.error())) + " "
                + r.unit();
    }

    /** Each fork's mean, in the order the forks ran ({@code 3.84 / 3.49 / 3.91}); empty where none are known. */
    static String forks(Result r) {
        if (r == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (double m : r.forkMeans()) {
            sb.append(sb.isEmpty() ? "" : " / ").append(Report.format(m));
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** A ratio in a check: three decimals, so that one just under its bar does not print as the bar. */
    private static String exact(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.3f", v);
    }
}
