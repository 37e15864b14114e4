package dendrite.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns benchmark results into the README's table and charts.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dendrite.bench.Report [--out DIR] [--about KEY=VALUE]...
 *        results.json [more.json | pytorch.json]...
 * </pre>
 *
 * Reads JMH's JSON output ({@code -rf json -rff results.json}) and the PyTorch peer's JSON, and
 * writes {@code DIR/results.md} (also printed): one row per benchmark, backend and parameters
 * with the median, JMH's mean and error, GFLOPS for matmul (2 m n k / median time) and the
 * convolutions (2 batch outC outH outW patch / median time), the matmul's ratio to
 * OpenBLAS ({@code netlib-native}) in the same run, the time's ratio to the fastest PyTorch run
 * for the MLP workloads, and the bytes allocated per operation where {@code -prof gc} measured them. When there
 * are matmul results it also draws {@code DIR/matmul-gflops.png} (GFLOPS against N per backend,
 * OpenBLAS as the reference line) and {@code DIR/matmul-mlp.png} (the MLP's products).
 */
public final class Report {
    /** Backends in the order the table lists them; unknown names come after, alphabetically. */
    static final List<String> BACKEND_ORDER = List.of("scalar", "vector", "opencl", "netlib-native", "netlib-java",
            "pytorch");
    static final String OPENBLAS = "netlib-native";
    static final String PYTORCH = "pytorch";

    private Report() {
    }

    public static void main(String[] args) throws IOException {
        Path out = null;
        Map<String, String> about = new LinkedHashMap<>();
        List<Path> inputs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> out = Path.of(value(args, ++i, "--out"));
                case "--about" -> {
                    String kv = value(args, ++i, "--about");
                    int eq = kv.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("report: --about takes KEY=VALUE, got '" + kv + "'");
                    }
                    about.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
                case "-h", "--help" -> {
                    System.out.println("usage: Report [--out DIR] [--about KEY=VALUE]... results.json [pytorch.json]...");
                    return;
                }
                default -> inputs.add(Path.of(args[i]));
            }
        }
        if (inputs.isEmpty()) {
            System.err.println("report: no results given; usage: Report [--out DIR] results.json [pytorch.json]...");
            System.exit(2);
        }
        if (out == null) {
            out = inputs.get(0).toAbsolutePath().getParent();
        }
        Files.createDirectories(out);

        List<Result> results = new ArrayList<>();
        Map<String, String> header = new LinkedHashMap<>();
        header.put("Date", DateTimeFormatter.ISO_LOCAL_DATE.format(
                Files.getLastModifiedTime(inputs.get(0)).toInstant().atZone(ZoneOffset.UTC)));
        header.put("Machine", Machine.describe());
        for (Path p : inputs) {
            ResultFiles.Run run = ResultFiles.read(p);
            results.addAll(run.results());
            run.about().forEach(header::putIfAbsent);
        }
        header.putAll(about);

        String markdown = markdown(header, results);
        Files.writeString(out.resolve("results.md"), markdown, StandardCharsets.UTF_8);
        System.out.print(markdown);
        for (Path chart : GflopsChart.write(results, out)) {
            System.out.println("\nchart: " + chart);
        }
        System.out.println("table: " + out.resolve("results.md"));
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("report: " + option + " needs a value");
        }
        return args[i];
    }

    /** The header lines and the table, sorted by benchmark, parameters, then backend. */
    static String markdown(Map<String, String> header, List<Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| | |\n|---|---|\n");
        header.forEach((k, v) -> sb.append("| ").append(k).append(" | ").append(escape(v)).append(" |\n"));
        sb.append('\n');
        sb.append("| Benchmark | Backend | Params | Median | Mean ± error | Unit | GFLOPS | ÷ OpenBLAS | Time ÷ PyTorch | Alloc B/op |\n");
        sb.append("|---|---|---|---:|---:|---|---:|---:|---:|---:|\n");
        Map<String, Result> openblas = byWorkload(results, OPENBLAS);
        Map<String, Result> pytorch = fastestPyTorch(results);
        for (Result r : sorted(results)) {
            Result blas = openblas.get(r.workload());
            Result torch = pytorch.get(r.workload());
            sb.append("| ").append(r.benchmark())
                    .append(" | ").append(r.backend())
                    .append(" | ").append(r.params().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(", ")))
                    .append(" | ").append(format(r.median()))
                    .append(" | ").append(format(r.score())).append(Double.isNaN(r.error()) ? "" : " ± " + format(r.error()))
                    .append(" | ").append(r.unit())
                    .append(" | ").append(format(r.gflops()))
                    .append(" | ").append(blas == null || r.flops() == 0 ? "" : format(r.gflops() / blas.gflops()))
                    .append(" | ").append(torch == null || r.backend().startsWith(PYTORCH) ? ""
                            : format(r.medianSeconds() / torch.medianSeconds()))
                    .append(" | ").append(format(r.allocBytes()))
                    .append(" |\n");
        }
        sb.append("\nMedian of the measured iterations; mean ± JMH's 99.9% confidence half-width (none with too few"
                + " iterations). GFLOPS = 2 m n k / median time (a convolution pass: 2 batch outC outH outW patch / median"
                + " time); ÷ OpenBLAS is GFLOPS over netlib-native's in the"
                + " same run (higher is better); Time ÷ PyTorch is the median time over the fastest PyTorch run's (any thread count; lower is better)."
                + " Alloc B/op is -prof gc's gc.alloc.rate.norm.\n");
        return sb.toString();
    }

    static List<Result> sorted(List<Result> results) {
        Comparator<Result> order = Comparator.comparing(Result::benchmark)
                .thenComparing(r -> paramKey(r.params()))
                .thenComparingInt(r -> {
                    int i = BACKEND_ORDER.indexOf(r.backend());
                    return i < 0 ? BACKEND_ORDER.size() : i;
                })
                .thenComparing(Result::backend);
        return results.stream().sorted(order).toList();
    }

    /** Parameters as a sortable key, numbers padded so that 128 sorts before 1024. */
    private static String paramKey(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> sb.append(k).append('=')
                .append(v.matches("\\d{1,12}") ? "%012d".formatted(Long.parseLong(v)) : v).append(';'));
        return sb.toString();
    }

    /**
     * Per workload, the fastest of the PyTorch runs ({@code pytorch}, {@code pytorch-1thread}, ...):
     * PyTorch on fewer threads than cores can be the faster one, and the comparison is with its best.
     */
    private static Map<String, Result> fastestPyTorch(List<Result> results) {
        Map<String, Result> m = new LinkedHashMap<>();
        for (Result r : results) {
            if (r.backend().startsWith(PYTORCH)) {
                m.merge(r.workload(), r, (a, b) -> a.medianSeconds() <= b.medianSeconds() ? a : b);
            }
        }
        return m;
    }

    private static Map<String, Result> byWorkload(List<Result> results, String backend) {
        Map<String, Result> m = new LinkedHashMap<>();
        for (Result r : results) {
            if (r.backend().equals(backend)) {
                m.put(r.workload(), r);
            }
        }
        return m;
    }

    /** Three significant digits or so, blank for NaN. */
    static String format(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        double a = Math.abs(v);
        String f = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : a == 0 ? "%.0f" : "%.3g";
        return String.format(Locale.ROOT, f, v);
    }

    private static String escape(String s) {
        return s.replace("|", "\\|");
    }
}
