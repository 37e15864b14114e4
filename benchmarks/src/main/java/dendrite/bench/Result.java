package dendrite.bench;

import java.util.List;
import java.util.Map;

/**
 * One measured point, from JMH's JSON or from a peer's: which benchmark ({@code EpochBenchmark.epoch}),
 * on which backend, with which other parameters, and its times.
 *
 * @param benchmark   class and method, without the package
 * @param backend     the {@code backend} parameter, or the peer's name ({@code pytorch})
 * @param params      the other parameters, in their order
 * @param median      median of the measured iterations, in {@code unit}
 * @param score       JMH's score (the mean), in {@code unit}
 * @param error       JMH's 99.9% confidence half-width, NaN when there were too few iterations
 * @param unit        e.g. {@code us/op}, {@code ms/op} or {@code ops/s}
 * @param allocBytes  heap bytes per operation from {@code -prof gc}, NaN when not profiled
 * @param samples     how many measured iterations the median is of
 * @param forkMeans   each JMH fork's mean, in {@code unit} and in the order the forks ran (empty for a peer's)
 */
record Result(String benchmark, String backend, Map<String, String> params, double median, double score,
        double error, String unit, double allocBytes, int samples, List<Double> forkMeans) {

    Result {
        forkMeans = List.copyOf(forkMeans);
    }

    /** A result without fork means: a peer's, or one made in a test. */
    Result(String benchmark, String backend, Map<String, String> params, double median, double score, double error,
            String unit, double allocBytes, int samples) {
        this(benchmark, backend, params, median, score, error, unit, allocBytes, samples, List.of());
    }

    /** Seconds one operation takes at the median, for time units ({@code x/op}) and rates ({@code ops/x}). */
    double medianSeconds() {
        return seconds(median);
    }

    double seconds(double value) {
        if (unit.endsWith("/op")) {
            return value * secondsPer(unit.substring(0, unit.length() - 3));
        }
        if (unit.startsWith("ops/")) {
            return secondsPer(unit.substring(4)) / value;
        }
        throw new IllegalArgumentException("report: unknown JMH unit '" + unit + "' of " + benchmark);
    }

    private double secondsPer(String timeUnit) {
        return switch (timeUnit) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            default -> throw new IllegalArgumentException("report: unknown time unit '" + timeUnit + "' in '" + unit
                    + "' of " + benchmark);
        };
    }

    /**
     * The floating-point operations of one operation of a matmul benchmark ({@code 2 m n k}), of
     * a convolution pass ({@code 2 batch outC outH outW patch}) or of the FMA peak loop, or 0 for
     * the others.
     */
    long flops() {
        if (benchmark.equals("ConvBenchmark.run") && params.containsKey("shape")) {
            return ConvBenchmark.flops(params.get("shape"));
        }
        if (benchmark.equals("MatmulBenchmark.square") && params.containsKey("n")) {
            long n = Long.parseLong(params.get("n"));
            return 2 * n * n * n;
        }
        if (benchmark.startsWith("FmaPeakBenchmark.")) {
            return FmaPeakBenchmark.FLOPS_PER_CALL;
        }
        if (benchmark.equals("MatmulBenchmark.mlp") && params.containsKey("shape")) {
            int[] d = MatmulBenchmark.mlpShape(params.get("shape"));
            return 2L * d[0] * d[1] * d[2];
        }
        return 0;
    }

    /** GFLOPS at the median time, or NaN where flops are not defined. */
    double gflops() {
        long f = flops();
        return f == 0 ? Double.NaN : f / medianSeconds() / 1e9;
    }

    /** The key of a row apart from the backend: benchmark and other parameters. */
    String workload() {
        return benchmark + params;
    }

    /** The median of a JMH {@code rawData} array: one list of iteration values per fork. */
    static double median(List<?> forks) {
        double[] v = forks.stream().flatMap(f -> ((List<?>) f).stream()).mapToDouble(x -> ((Number) x).doubleValue())
                .sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The mean of each fork's iterations in a JMH {@code rawData} array, forks without iterations left out. */
    static List<Double> forkMeans(List<?> forks) {
        return forks.stream().map(f -> (List<?>) f).filter(f -> !f.isEmpty())
                .map(f -> f.stream().mapToDouble(x -> ((Number) x).doubleValue()).average().orElseThrow()).toList();
    }

    static int count(List<?> forks) {
        return forks.stream().mapToInt(f -> ((List<?>) f).size()).sum();
    }
}
