package dendrite.bench;

import dendrite.nn.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.util.ListStatistics;

/**
 * Joins the JMH result files of one benchmark set run in rounds into one result file, as if JMH had
 * run all the rounds' forks itself: each benchmark's forks in round order, its score (the mean of every
 * measured iteration), its error (the 99.9 % confidence half-width), confidence interval and percentiles
 * computed from all of them with JMH's own statistics.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dendrite.bench.JmhRounds joined.json round1.json round2.json...
 * </pre>
 *
 * <p>Why rounds: JMH runs a benchmark's forks one after another, so with {@code -f 5} two libraries'
 * results for one product are minutes apart, and a shared host that is slower for some minutes puts
 * all of one library's forks into that state and none of the other's. {@code benchmarks/run.sh gemm}
 * runs one fork of everything a round instead, alternating which library goes first, and joins the
 * rounds with this, so that the host's slow changes fall on both alike (benchmarks/README.md).
 *
 * <p>A benchmark is keyed by its name, mode and parameters. The rounds must have measured it with the
 * same warm-up and measurement settings; one whose settings differ, or that a round holds twice, is
 * refused. A benchmark missing from a round (its fork failed) is joined from the rounds that have it, and
 * its {@code forks} field says how many that was.
 */
public final class JmhRounds {
    /** The confidence level of JMH's {@code scoreError}. */
    private static final double CONFIDENCE = 0.999;
    /** The percentiles JMH writes in {@code scorePercentiles}. */
    private static final double[] PERCENTILES = {0.0, 50.0, 90.0, 95.0, 99.0, 99.9, 99.99, 99.999, 99.9999, 100.0};
    /** The fields that must agree between rounds for their iterations to be pooled. */
    private static final List<String> SETTINGS = List.of("jmhVersion", "mode", "threads", "jvm", "jvmArgs", "jdkVersion",
            "vmVersion", "warmupIterations", "warmupTime", "warmupBatchSize", "measurementIterations",
            "measurementTime", "measurementBatchSize");

    private JmhRounds() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args[0].equals("-h") || args[0].equals("--help")) {
            System.err.println("usage: JmhRounds joined.json round1.json [round2.json...]");
            System.exit(args.length < 2 ? 2 : 0);
        }
        Path out = Path.of(args[0]);
        List<List<?>> rounds = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            Path p = Path.of(args[i]);
            if (!Files.isRegularFile(p) || Files.size(p) == 0) {
                // A round whose JMH run failed before writing (JMH leaves the file empty): join the others.
                System.err.println("jmh rounds: no results in " + p + "; joining the rounds without it");
                continue;
            }
            Object json;
            try {
                json = Json.parse(Files.readString(p));
            } catch (RuntimeException e) {
                json = e;
            }
            if (!(json instanceof List<?> entries)) {
                System.err.println("jmh rounds: " + p + " is not JMH's JSON output (an array)"
                        + (json instanceof RuntimeException e ? ": " + e.getMessage() : ""));
                System.exit(2);
                return;
            }
            rounds.add(entries);
        }
        List<Object> joined;
        try {
            joined = join(rounds);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // Atomic, like every file the project writes: a reader never sees half a file.
        Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
        Files.writeString(tmp, Json.write(joined) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.err.println("jmh rounds: " + rounds.size() + " rounds joined into " + out);
    }

    /**
     * The rounds' benchmarks joined, in the order of their first appearance.
     *
     * @param rounds each round's JMH JSON output (a list of benchmark entries), in the order they ran
     * @throws IllegalArgumentException where a round holds a benchmark twice or two rounds measured one with
     *         different settings
     */
    static List<Object> join(List<? extends List<?>> rounds) {
        Map<String, List<Map<?, ?>>> byKey = new LinkedHashMap<>();
        for (int r = 0; r < rounds.size(); r++) {
            Set<String> seen = new HashSet<>();
            for (Object o : rounds.get(r)) {
                Map<?, ?> entry = (Map<?, ?>) o;
                String key = key(entry);
                if (!seen.add(key)) {
                    throw new IllegalArgumentException("jmh rounds: round " + (r + 1) + " holds " + key + " twice");
                }
                List<Map<?, ?>> same = byKey.computeIfAbsent(key, k -> new ArrayList<>());
                if (!same.isEmpty()) {
                    for (String s : SETTINGS) {
                        if (!String.valueOf(same.get(0).get(s)).equals(String.valueOf(entry.get(s)))) {
                            throw new IllegalArgumentException("jmh rounds: " + key + " has " + s + " "
                                    + same.get(0).get(s) + " in one round and " + entry.get(s) + " in round " + (r + 1)
                                    + "; rounds must measure alike to be joined");
                        }
                    }
                }
                same.add(entry);
            }
        }
        List<Object> joined = new ArrayList<>();
        byKey.values().forEach(entries -> joined.add(joinEntry(entries)));
        return joined;
    }

    /** The benchmark, mode and parameters of an entry: what identifies it across rounds. */
    private static String key(Map<?, ?> entry) {
        return entry.get("benchmark") + " " + entry.get("mode") + " " + entry.get("params");
    }

    private static Map<String, Object> joinEntry(List<Map<?, ?>> entries) {
        Map<String, Object> joined = new LinkedHashMap<>();
        entries.get(0).forEach((k, v) -> joined.put(String.valueOf(k), v));
        joined.put("forks", entries.stream().mapToInt(e -> forks(e)).sum());
        List<Map<?, ?>> primary = new ArrayList<>();
        entries.forEach(e -> primary.add((Map<?, ?>) e.get("primaryMetric")));
        joined.put("primaryMetric", joinMetric(primary));
        Map<String, Object> secondary = new LinkedHashMap<>();
        if (entries.get(0).get("secondaryMetrics") instanceof Map<?, ?> first) {
            for (Object name : first.keySet()) {
                List<Map<?, ?>> metrics = new ArrayList<>();
                for (Map<?, ?> e : entries) {
                    if (e.get("secondaryMetrics") instanceof Map<?, ?> s && s.get(name) instanceof Map<?, ?> m) {
                        metrics.add(m);
                    }
                }
                secondary.put(String.valueOf(name), joinMetric(metrics));
            }
        }
        joined.put("secondaryMetrics", secondary);
        return joined;
    }

    private static int forks(Map<?, ?> entry) {
        return ((List<?>) ((Map<?, ?>) entry.get("primaryMetric")).get("rawData")).size();
    }

    /** One metric over every round: the forks' iterations side by side, and JMH's statistics of them all. */
    static Map<String, Object> joinMetric(List<Map<?, ?>> metrics) {
        List<Object> raw = new ArrayList<>();
        ListStatistics stats = new ListStatistics();
        for (Map<?, ?> m : metrics) {
            if (m.containsKey("rawDataHistogram")) {
                throw new IllegalArgumentException("jmh rounds: sample-mode histograms cannot be joined");
            }
            for (Object fork : (List<?>) m.get("rawData")) {
                List<Object> iterations = new ArrayList<>();
                for (Object x : (List<?>) fork) {
                    double v = ResultFiles.number(x);
                    stats.addValue(v);
                    iterations.add(number(v));
                }
                raw.add(iterations);
            }
        }
        double mean = stats.getMean();
        double error = stats.getMeanErrorAt(CONFIDENCE);
        Map<String, Object> joined = new LinkedHashMap<>();
        joined.put("score", number(mean));
        joined.put("scoreError", number(error));
        joined.put("scoreConfidence", List.of(number(mean - error), number(mean + error)));
        Map<String, Object> percentiles = new LinkedHashMap<>();
        for (double p : PERCENTILES) {
            percentiles.put(String.valueOf(p), number(stats.getPercentile(p)));
        }
        joined.put("scorePercentiles", percentiles);
        joined.put("scoreUnit", metrics.isEmpty() ? "" : metrics.get(0).get("scoreUnit"));
        joined.put("rawData", raw);
        return joined;
    }

    /** A number as JMH writes one: NaN and infinities as strings. */
    private static Object number(double v) {
        return Double.isFinite(v) ? (Object) v : String.valueOf(v);
    }
}
